import { formatElapsed, SweepReport, toCsv, toJsonDocument, toTable, totalOf } from '../../src/cli/report';
import type { PoolReport } from '../../src/sweep/types';

const poolA: PoolReport = {
  userPoolId: 'eu-west-1_AbC123',
  usersScanned: 1200,
  devicesScanned: 3400,
  devicesStale: 800,
  devicesForgotten: 790,
  devicesAlreadyGone: 2,
  devicesUndated: 5,
  errors: 1,
  usersSkippedByIndex: 0,
};
const poolB: PoolReport = { ...poolA, userPoolId: 'us-east-1_XyZ789', usersScanned: 10, errors: 0 };

function reportOf(pools: PoolReport[], extra: Partial<SweepReport> = {}): SweepReport {
  return {
    dryRun: false,
    selection: { kind: 'stale', staleAfterSeconds: 7_776_000 },
    startedAt: new Date('2026-01-01T00:00:00.000Z'),
    finishedAt: new Date('2026-01-01T00:01:15.000Z'),
    pools,
    capped: false,
    ...extra,
  };
}

describe('toJsonDocument', () => {
  test('has exactly the documented keys, in the documented order', () => {
    // Engine reports may carry more fields; the document must not leak them.
    const withExtra = { ...poolA, internalCounter: 7 } as PoolReport;
    const parsed = JSON.parse(toJsonDocument(reportOf([withExtra], { dryRun: true, capped: true })));
    expect(Object.keys(parsed)).toEqual(['dryRun', 'staleAfterSeconds', 'startedAt', 'finishedAt', 'pools', 'capped']);
    expect(Object.keys(parsed.pools[0])).toEqual([
      'userPoolId', 'usersScanned', 'devicesScanned', 'devicesStale', 'devicesForgotten',
      'devicesAlreadyGone', 'devicesUndated', 'errors', 'usersSkippedByIndex',
    ]);
    expect(parsed).toEqual({
      dryRun: true,
      staleAfterSeconds: 7_776_000,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:15.000Z',
      pools: [poolA],
      capped: true,
    });
  });

  test('names the other selections by their own keys', () => {
    const keysOf = (selection: SweepReport['selection']) => JSON.parse(toJsonDocument(reportOf([poolA], { selection })));
    expect(keysOf({ kind: 'stale', staleAfterSeconds: 86_400, maxDeviceAgeSeconds: 172_800 }))
      .toMatchObject({ staleAfterSeconds: 86_400, maxDeviceAgeSeconds: 172_800 });
    expect(Object.keys(keysOf({ kind: 'stale', maxDeviceAgeSeconds: 172_800 })).slice(0, 3)).toEqual(['dryRun', 'maxDeviceAgeSeconds', 'startedAt']);
    expect(keysOf({ kind: 'users', usernames: ['alice', 'bob'] })).toMatchObject({ selection: 'users', usersNamed: 2 });
    expect(JSON.stringify(keysOf({ kind: 'users', usernames: ['alice'] }))).not.toContain('alice');
    expect(keysOf({ kind: 'all' })).toMatchObject({ selection: 'all' });
  });

  test('is one line', () => {
    expect(toJsonDocument(reportOf([poolA, poolB]))).not.toContain('\n');
  });

  test('adds `stopped` to a stopped pool and to the run, and `interrupted`, only when they apply', () => {
    const stop = { reason: 'access-denied' as const, message: 'cognito-idp:ListUsers denied on user pool eu-west-1_AbC123 ...' };
    const parsed = JSON.parse(toJsonDocument(reportOf([{ ...poolA, stopped: stop } as PoolReport, poolB], { stopped: stop, interrupted: true })));
    expect(Object.keys(parsed)).toEqual(['dryRun', 'staleAfterSeconds', 'startedAt', 'finishedAt', 'pools', 'capped', 'stopped', 'interrupted']);
    expect(parsed.pools[0].stopped).toEqual(stop);
    expect(parsed.pools[1]).not.toHaveProperty('stopped');
    expect(parsed).toMatchObject({ stopped: stop, interrupted: true });
  });
});

describe('toCsv', () => {
  test('has a header and one row per pool', () => {
    expect(toCsv([poolA, poolB]).split('\r\n')).toEqual([
      'userPoolId,usersScanned,devicesScanned,devicesStale,devicesForgotten,devicesAlreadyGone,devicesUndated,errors,usersSkippedByIndex',
      'eu-west-1_AbC123,1200,3400,800,790,2,5,1,0',
      'us-east-1_XyZ789,10,3400,800,790,2,5,0,0',
      '',
    ]);
  });

  test('quotes a field with a comma or a quote', () => {
    expect(toCsv([{ ...poolA, userPoolId: 'a,"b"' }])).toContain('\r\n"a,""b""",1200,');
  });
});

describe('toTable of a run that did not finish', () => {
  const stop = { reason: 'pool-not-found' as const, message: 'user pool eu-west-1_AbC123 does not exist in Region eu-west-1 (...)' };
  const zero = {
    ...poolA, usersScanned: 0, devicesScanned: 0, devicesStale: 0, devicesForgotten: 0, devicesAlreadyGone: 0, devicesUndated: 0, errors: 1,
  };

  test('stopped with nothing counted: the reason, and no table of zeros', () => {
    const table = toTable(reportOf([{ ...zero, stopped: stop } as PoolReport], { stopped: stop }), '90d');
    expect(table.split('\n')).toEqual([
      'The sweep stopped: an error no retry can fix (below); nothing was forgotten.',
      'Started 2026-01-01T00:00:00.000Z, finished 2026-01-01T00:01:15.000Z (1m 15s).',
      '',
      `eu-west-1_AbC123 stopped: ${stop.message}`,
      '',
    ]);
  });

  test('stopped part-way: what was forgotten before the stop, the table, and the reason', () => {
    const table = toTable(reportOf([poolB, { ...zero, stopped: stop } as PoolReport], { stopped: stop }), 'devices unused for 90d');
    expect(table.split('\n')[0]).toBe('The sweep stopped: an error no retry can fix (below); 790 device(s) forgotten before it stopped (devices unused for 90d).');
    expect(table).toContain('User pool');
    expect(table).not.toContain('were forgotten');
  });

  test('interrupted: says so, with what was forgotten so far', () => {
    expect(toTable(reportOf([poolA], { interrupted: true }), 'devices unused for 90d').split('\n')[0])
      .toBe('Interrupted: the sweep stopped early; 790 device(s) forgotten before it stopped (devices unused for 90d).');
  });
});

describe('toTable', () => {
  test('shows every counter of every pool, a total row for several pools, and what the run did', () => {
    const table = toTable(reportOf([poolA, poolB]), 'devices unused for 90d');
    const lines = table.split('\n');
    expect(lines[0]).toBe('Sweep: devices unused for 90d were forgotten.');
    expect(lines[1]).toContain('(1m 15s)');
    expect(lines[3]).toMatch(/^User pool\s+Users\s+Devices\s+Stale\s+Forgotten\s+Already gone\s+Undated\s+Errors\s+Skipped \(index\)$/);
    expect(lines[4].split(/\s{2,}/)).toEqual(['eu-west-1_AbC123', '1,200', '3,400', '800', '790', '2', '5', '1', '0']);
    expect(lines[5].split(/\s{2,}/)).toEqual(['us-east-1_XyZ789', '10', '3,400', '800', '790', '2', '5', '0', '0']);
    expect(lines[6].split(/\s{2,}/)).toEqual(['Total', '1,210', '6,800', '1,600', '1,580', '4', '10', '1', '0']);
    expect(table).not.toContain('max-forgets');
  });

  test('says a dry run changed nothing, has no total row for one pool, and explains a cap', () => {
    const table = toTable(reportOf([poolA], { dryRun: true, capped: true }), 'devices unused for 12h');
    expect(table).toContain('Dry run: devices unused for 12h are counted (column Stale); nothing was forgotten.');
    expect(table).not.toMatch(/^Total/m);
    expect(table).toContain('Stopped by --max-forgets');
  });

  test('right-aligns the counts', () => {
    const lines = toTable(reportOf([poolA, poolB]), 'devices unused for 90d').split('\n');
    // The "Users" column ends at the same offset in the header and in every row.
    const end = lines[3].indexOf('Users') + 'Users'.length;
    expect(lines[4].slice(0, end).endsWith('1,200')).toBe(true);
    expect(lines[5].slice(0, end).endsWith(' 10')).toBe(true);
  });
});

describe('totalOf and formatElapsed', () => {
  test('totalOf sums every counter', () => {
    expect(totalOf([poolA, poolB])).toEqual({
      userPoolId: 'Total',
      usersScanned: 1210,
      devicesScanned: 6800,
      devicesStale: 1600,
      devicesForgotten: 1580,
      devicesAlreadyGone: 4,
      devicesUndated: 10,
      errors: 1,
      usersSkippedByIndex: 0,
    });
  });

  test.each([
    [3.25, '3.3 s'],
    [75, '1m 15s'],
    [3 * 3600 + 62, '3h 1m 2s'],
  ])('%d seconds is %s', (seconds, text) => {
    expect(formatElapsed(seconds)).toBe(text);
  });
});
