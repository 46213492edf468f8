import { ageCharts, CHART_WIDTH } from '../../src/cli/histogram';
import { toJsonDocument } from '../../src/cli/report';
import { AgePicture } from '../../src/sweep/pipeline/age-picture';

const picture: AgePicture = {
  remembered: { under7Days: 120, days7To30: 300, days30To90: 1_250_000, days90To180: 40, days180To365: 0, over365Days: 7, undated: 1 },
  notRemembered: { under7Days: 30, days7To30: 0, days30To90: 250_000, days90To180: 10, days180To365: 0, over365Days: 3, undated: 0 },
  usersByDeviceCount: { none: 10, one: 20, two: 5, threeToFive: 2, sixOrMore: 1, notListed: 4 },
};

test('bars fit in 80 columns, scale to the largest bucket, and never hide a small count', () => {
  const lines = ageCharts('eu-west-1_AbC123', picture).split('\n');
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(CHART_WIDTH);
  const bar = (label: string) => lines.find((l) => l.startsWith(`  ${label} `))!;
  // The largest bucket's bar reaches the count column; remembered first, then not remembered.
  expect(bar('30-90 d')).toMatch(/^ {2}30-90 d {5}#{45,}=+ 1,500,000$/);
  expect(bar('30-90 d').length).toBe(CHART_WIDTH);
  // 300 of 1.5 million still draws one character; an empty bucket draws none.
  expect(bar('7-30 d')).toMatch(/^ {2}7-30 d {6}# +300$/);
  expect(bar('180-365 d')).toMatch(/^ {2}180-365 d +0$/);
  expect(bar('undated')).toMatch(/# +1$/);
  // Users: the largest (20) fills the room.
  const users = lines.slice(lines.findIndex((l) => l.includes('users by devices held')) + 1);
  expect(users.map((l) => l.trim().split(/\s+/).pop())).toEqual(['10', '20', '5', '2', '1', '4']);
  expect(users.find((l) => l.startsWith('  6+ '))).toMatch(/^ {2}6\+ {10}#{3} +1$/); // 1/20 of 64 columns
});

test('--json carries the picture of each pool and the run id', () => {
  const pool = {
    userPoolId: 'eu-west-1_AbC123',
    usersScanned: 42,
    devicesScanned: 1_500_511,
    devicesStale: 0,
    devicesForgotten: 0,
    devicesAlreadyGone: 0,
    devicesUndated: 1,
    errors: 0,
    usersSkippedByIndex: 0,
    ages: picture,
  };
  const parsed = JSON.parse(toJsonDocument({
    dryRun: true, selection: { kind: 'stale', staleAfterSeconds: 1 }, startedAt: new Date(0), finishedAt: new Date(0), pools: [pool], capped: false, runId: 'r-1',
  }));
  expect(parsed.pools[0].ages).toEqual(picture);
  expect(parsed.runId).toBe('r-1');
  expect(Object.keys(parsed).pop()).toBe('runId');
});
