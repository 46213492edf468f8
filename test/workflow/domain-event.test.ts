/**
 * The workflow's requests besides a slice (plan, merge), a slice of a quota domain's loop, pools by
 * ARN and account roles: what the slice Lambda accepts and what it refuses, with which words.
 */
import { SliceInputError } from '../../src/workflow/contract';
import { parseSliceEvent, parseWorkflowEvent, SliceAccess } from '../../src/workflow/runtime/slice-event';

const OWN = '111111111111';
const A = '210987654321';
const B = '310987654321';
const ROLE_A = `arn:aws:iam::${A}:role/DeviceSweepAccess`;
const ROLE_B = `arn:aws:iam::${B}:role/DeviceSweepAccess`;
const arn = (account: string, id: string): string => `arn:aws:cognito-idp:${id.split('_')[0]}:${account}:userpool/${id}`;

const ALLOWED = ['eu-west-1_Own1', 'us-east-1_Own2', 'eu-west-1_A1', 'us-east-1_A2', 'eu-west-1_B1'];
const ACCESS: SliceAccess = { allowedRoleArns: [ROLE_A, ROLE_B], ownAccountId: OWN };
const CONFIG = {
  userPoolIds: ['eu-west-1_Own1', arn(OWN, 'us-east-1_Own2'), arn(A, 'eu-west-1_A1'), arn(A, 'us-east-1_A2'), arn(B, 'eu-west-1_B1')],
  selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 },
  dryRun: false,
  accountRoles: [{ accountId: A, roleArn: ROLE_A, externalId: 'org-sweep-7' }, { accountId: B, roleArn: ROLE_B }],
};
const REPORT = {
  userPoolId: arn(A, 'eu-west-1_A1'),
  usersScanned: 3,
  devicesScanned: 5,
  devicesStale: 2,
  devicesForgotten: 2,
  devicesAlreadyGone: 0,
  devicesUndated: 1,
  errors: 0,
  usersSkippedByIndex: 0,
};
const FINAL = {
  done: true,
  capped: false,
  totals: [REPORT],
  slices: 2,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:28:00.000Z',
  sweepSeconds: 1500,
  pools: [{ userPoolId: arn(A, 'eu-west-1_A1'), usersDone: 3, estimatedUsers: 3, estimatedSecondsLeft: 0 }],
};
const DOMAIN_A_EU = { key: `${A}/eu-west-1`, accountId: A, region: 'eu-west-1' };

function refused(event: unknown, access: SliceAccess = ACCESS): string {
  try {
    parseWorkflowEvent(event, ALLOWED, access);
  } catch (error) {
    expect(error).toBeInstanceOf(SliceInputError);
    return (error as Error).message;
  }
  throw new Error('the event was accepted');
}

describe('pools by ARN and account roles', () => {
  test('a pool ARN is allowed by its id, and the config keeps it as given, with its roles', () => {
    const parsed = parseSliceEvent({ config: CONFIG }, ALLOWED, ACCESS);
    expect(parsed.config.userPoolIds).toEqual(CONFIG.userPoolIds);
    expect(parsed.config.accountRoles).toEqual(CONFIG.accountRoles);
  });

  test('the allow-list compares pool ids: an ARN of a pool outside it is refused, naming it', () => {
    expect(refused({ config: { ...CONFIG, userPoolIds: [arn(A, 'eu-west-1_EVIL')], accountRoles: [CONFIG.accountRoles[0]] } }))
      .toContain(`'${arn(A, 'eu-west-1_EVIL')}', which this workflow may not touch`);
  });

  test('a role outside the role allow-list is refused, naming the role', () => {
    expect(refused({ config: CONFIG }, { ...ACCESS, allowedRoleArns: [ROLE_A] }))
      .toBe(`config.accountRoles #2 roleArn is ${ROLE_B}, which this workflow may not assume; allowed: '${ROLE_A}'. ` +
        'Give the role to the construct (its access roles) instead.');
  });

  test('with no role allow-list (ALLOWED_ACCOUNT_ROLE_ARNS unset), no role is allowed', () => {
    expect(refused({ config: CONFIG }, { ownAccountId: OWN })).toMatch(/^config.accountRoles #1 roleArn is .* which this workflow may not assume; it may assume none\./);
  });

  test('a pool ARN of another account without a role for it is refused before any call', () => {
    const config = { ...CONFIG, accountRoles: [CONFIG.accountRoles[0]] };
    expect(refused({ config })).toBe(
      `config.userPoolIds #5 is ${arn(B, 'eu-west-1_B1')}, a pool of account ${B}, and no role is given for that account; ` +
      `give one in accountRoles (a DeviceSweepAccessRole deployed there), or the pool is called with the credentials of account ${OWN} and denied.`,
    );
  });

  test('without the own account known, such a pool is left to IAM', () => {
    const config = { ...CONFIG, accountRoles: [CONFIG.accountRoles[0]] };
    expect(() => parseSliceEvent({ config }, ALLOWED, { allowedRoleArns: [ROLE_A] })).not.toThrow();
  });

  test.each([
    ['a bad account id', [{ accountId: '2109', roleArn: ROLE_A }], /^config.accountRoles #1 accountId is "2109"; give the 12-digit id/],
    ['a role of another account', [{ accountId: A, roleArn: ROLE_B }, { accountId: B, roleArn: ROLE_B }],
      new RegExp(`^config.accountRoles #1 roleArn is a role of account ${B}, not of account ${A}`)],
    ['a bad external id', [{ accountId: A, roleArn: ROLE_A, externalId: 'x' }, { accountId: B, roleArn: ROLE_B }],
      /^config.accountRoles #1 externalId is "x"; give the external id the role's trust policy requires/],
    ['two roles for one account', [{ accountId: A, roleArn: ROLE_A }, { accountId: A, roleArn: ROLE_A }],
      /^config.accountRoles #2 is a second role for account/],
    ['a role for an account no pool is in', [...CONFIG.accountRoles, { accountId: '410987654321', roleArn: 'arn:aws:iam::410987654321:role/R' }],
      /^config.accountRoles #3 is for account 410987654321, which none of the user pools is in/],
    ['a role list that is not a list', { accountId: A }, /^config.accountRoles must be an array/],
  ])('refuses %s', (_name, accountRoles, message) => {
    expect(refused({ config: { ...CONFIG, accountRoles } })).toMatch(message);
  });

  test('refuses a pool given twice (by id and by ARN), and a malformed ARN', () => {
    expect(refused({ config: { ...CONFIG, userPoolIds: ['eu-west-1_Own1', arn(OWN, 'eu-west-1_Own1')] } }))
      .toMatch(/^config.userPoolIds lists user pool eu-west-1_Own1 twice/);
    expect(refused({ config: { ...CONFIG, userPoolIds: ['arn:aws:cognito-idp:eu-west-1:12:userpool/eu-west-1_A1'] } }))
      .toMatch(/^config.userPoolIds: Invalid user pool ARN/);
  });
});

describe('a slice of a quota domain', () => {
  const domainConfig = { ...CONFIG, userPoolIds: [arn(A, 'eu-west-1_A1')], accountRoles: [CONFIG.accountRoles[0]] };

  test('is accepted with its domain, and a share of the cap of 0', () => {
    const parsed = parseSliceEvent({ config: { ...domainConfig, maxForgets: 0 }, domain: DOMAIN_A_EU }, ALLOWED, ACCESS);
    expect(parsed.domain).toEqual(DOMAIN_A_EU);
    expect(parsed.config.maxForgets).toBe(0);
  });

  test('own-account pools (by id or ARN) are in the domain of the own credentials', () => {
    const config = { ...CONFIG, userPoolIds: ['eu-west-1_Own1'], accountRoles: undefined };
    expect(parseSliceEvent({ config, domain: { key: '/eu-west-1', region: 'eu-west-1' } }, ALLOWED, ACCESS).domain)
      .toEqual({ key: '/eu-west-1', region: 'eu-west-1' });
    const byArn = { ...config, userPoolIds: [arn(OWN, 'us-east-1_Own2')] };
    expect(() => parseSliceEvent({ config: byArn, domain: { key: '/us-east-1', region: 'us-east-1' } }, ALLOWED, ACCESS)).not.toThrow();
  });

  test.each([
    ['a key without a slash', { key: 'eu-west-1', region: 'eu-west-1' }, /^domain.key is "eu-west-1"; give "<account>\/<region>"/],
    ['a short account', { key: '2109/eu-west-1', accountId: '2109', region: 'eu-west-1' }, /^domain.key is "2109\/eu-west-1"/],
    ['a key that is no Region', { key: `${A}/europe`, accountId: A, region: 'europe' }, /^domain.key is ".*\/europe"/],
    ['a region other than the key\'s', { ...DOMAIN_A_EU, region: 'us-east-1' }, /^domain.region is "us-east-1", not the Region of domain.key \(eu-west-1\)/],
    ['an account other than the key\'s', { ...DOMAIN_A_EU, accountId: B }, new RegExp(`^domain.accountId is "${B}", not the account of domain.key \\(${A}\\)`)],
    ['a domain of other pools', { key: `${A}/us-east-1`, accountId: A, region: 'us-east-1' },
      new RegExp(`^config.userPoolIds has ${arn(A, 'eu-west-1_A1')}, of quota domain ${A}/eu-west-1, in a slice of domain ${A}/us-east-1\\.`)],
  ])('refuses %s', (_name, domain, message) => {
    expect(refused({ config: domainConfig, domain })).toMatch(message);
  });

  test('refuses a negative share, and a cap of 0 outside a domain (the users\' rule)', () => {
    expect(refused({ config: { ...domainConfig, maxForgets: -1 }, domain: DOMAIN_A_EU }))
      .toBe('config.maxForgets is -1; a quota domain\'s share of the run\'s cap is a whole number of at least 0.');
    expect(refused({ config: { ...CONFIG, maxForgets: 0 } })).toBe('config.maxForgets is 0; use a whole number of at least 1, or leave it out for no cap.');
  });
});

describe('the plan and merge requests', () => {
  test('a plan request: the config (every rule of a slice\'s) and the run', () => {
    expect(parseWorkflowEvent({ action: 'plan', config: CONFIG, run: { executionName: 'nightly' } }, ALLOWED, ACCESS))
      .toEqual({ action: 'plan', event: { action: 'plan', config: CONFIG, run: { executionName: 'nightly' } } });
    expect(refused({ action: 'plan', config: { ...CONFIG, maxForgets: 0 } })).toMatch(/^config.maxForgets is 0/);
    expect(refused({ action: 'plan', config: CONFIG }, { ...ACCESS, allowedRoleArns: [] })).toMatch(/may not assume; it may assume none/);
  });

  test('a merge request: the outcomes, finished or failed (the Catch\'s Error and Cause read too)', () => {
    const results = [
      { domain: DOMAIN_A_EU, progress: FINAL },
      { domain: { key: `${B}/eu-west-1`, accountId: B, region: 'eu-west-1' }, failed: { Error: 'SweepSystemicError', Cause: '{"errorMessage":"no"}' } },
    ];
    const parsed = parseWorkflowEvent({ action: 'merge', config: CONFIG, results, toleratedDomainFailures: 1 }, ALLOWED, ACCESS);
    expect(parsed).toEqual({
      action: 'merge',
      event: {
        action: 'merge',
        config: CONFIG,
        results: [results[0], { domain: results[1].domain, failed: { error: 'SweepSystemicError', cause: '{"errorMessage":"no"}' } }],
        toleratedDomainFailures: 1,
      },
    });
  });

  test('a merge request: a failed domain\'s partial progress (what the Catch carries; null when no slice succeeded)', () => {
    const failed = { Error: 'States.Timeout', Cause: '' };
    // Of its pools' progress, only what a next slice would take: the time left is moot once failed.
    const partial = { ...FINAL, done: false, cursor: 'c1', pools: [{ userPoolId: arn(A, 'eu-west-1_A1'), usersDone: 2, estimatedUsers: 3 }] };
    const results = [
      { domain: DOMAIN_A_EU, failed, partial },
      { domain: { key: `${B}/eu-west-1`, accountId: B, region: 'eu-west-1' }, failed, partial: null },
    ];
    const parsed = parseWorkflowEvent({ action: 'merge', config: CONFIG, results }, ALLOWED, ACCESS);
    expect(parsed.action === 'merge' && parsed.event.results).toEqual([
      { domain: DOMAIN_A_EU, failed: { error: 'States.Timeout', cause: '' }, partial },
      { domain: results[1].domain, failed: { error: 'States.Timeout', cause: '' } },
    ]);
    expect(refused({ action: 'merge', config: CONFIG, results: [{ domain: DOMAIN_A_EU, failed, partial: { ...partial, totals: [{ ...REPORT, userPoolId: 'eu-west-1_Other' }] } }] }))
      .toMatch(/^results\[0\].partial.totals\[0\].userPoolId must be one of config.userPoolIds/);
  });

  test('a merge request: a stopped domain\'s partial keeps which pool stopped and why (DomainStopped\'s output)', () => {
    const stop = { reason: 'access-denied', message: 'cognito-idp:ListUsers denied on user pool eu-west-1_A1 ...' };
    const partial = { ...FINAL, done: false, cursor: 'c1', pools: undefined, totals: [{ ...REPORT, stopped: stop }], stopped: { error: 'SweepSystemicError', cause: stop.message } };
    const results = [{ domain: DOMAIN_A_EU, failed: partial.stopped, partial }];
    const parsed = parseWorkflowEvent({ action: 'merge', config: CONFIG, results }, ALLOWED, ACCESS);
    const outcome = parsed.action === 'merge' ? parsed.event.results[0] : undefined;
    expect(outcome?.failed).toEqual({ error: 'SweepSystemicError', cause: stop.message });
    expect(outcome?.partial?.totals).toEqual([{ ...REPORT, stopped: stop }]);
    const malformed = { ...partial, totals: [{ ...REPORT, stopped: { reason: 'access-denied' } }] };
    expect(refused({ action: 'merge', config: CONFIG, results: [{ domain: DOMAIN_A_EU, failed: partial.stopped, partial: malformed }] }))
      .toBe('results[0].partial.totals[0].stopped must be {"reason": string, "message": string}, as the slice wrote it.');
  });

  test.each([
    ['an unknown action', { action: 'sweep', config: CONFIG }, /^action is "sweep"; use 'plan', 'merge', or leave it out for a slice\./],
    ['results that are not a list', { action: 'merge', config: CONFIG, results: {} }, /^results must be the array/],
    ['an outcome with neither progress nor failure', { action: 'merge', config: CONFIG, results: [{ domain: DOMAIN_A_EU }] },
      /^results\[0\] has neither progress nor failed/],
    ['an unfinished progress', { action: 'merge', config: CONFIG, results: [{ domain: DOMAIN_A_EU, progress: { ...FINAL, done: false } }] },
      /^results\[0\].progress.done is not true/],
    ['totals of a pool not in the run', {
      action: 'merge',
      config: CONFIG,
      results: [{ domain: DOMAIN_A_EU, progress: { ...FINAL, totals: [{ ...REPORT, userPoolId: 'eu-west-1_Other' }] } }],
    },
    /^results\[0\].progress.totals\[0\].userPoolId must be one of config.userPoolIds/],
    ['a domain twice', { action: 'merge', config: CONFIG, results: [{ domain: DOMAIN_A_EU, progress: FINAL }, { domain: DOMAIN_A_EU, progress: FINAL }] },
      /^results has quota domain 210987654321\/eu-west-1 twice/],
    ['a failure without an error name', { action: 'merge', config: CONFIG, results: [{ domain: DOMAIN_A_EU, failed: { cause: 'x' } }] },
      /^results\[0\].failed must be/],
    ['a negative tolerance', { action: 'merge', config: CONFIG, results: [], toleratedDomainFailures: -1 }, /^toleratedDomainFailures is -1/],
  ])('refuses %s', (_name, event, message) => {
    expect(refused(event)).toMatch(message);
  });

  test('a merge request without a tolerance tolerates none', () => {
    const parsed = parseWorkflowEvent({ action: 'merge', config: CONFIG, results: [] }, ALLOWED, ACCESS);
    expect(parsed.action === 'merge' && parsed.event.toleratedDomainFailures).toBe(0);
  });

  test('an event without action is a slice, as before the Map over domains', () => {
    expect(parseWorkflowEvent({ config: CONFIG, progress: null }, ALLOWED, ACCESS).action).toBe('slice');
  });
});
