/**
 * `--audit-log` and the age charts, through the CLI against the simulator: records match the
 * simulator's ground truth, the file is appended and owner-only, and the terminal rendering of
 * the charts is captured (the README shows it).
 */
import { readFileSync, statSync, writeFileSync } from 'fs';
import { runCliCaptured, runCliOnTerminal, TIME_SCALE, useCliWorkspace } from './cli-harness';
import type { AuditRecord } from '../../src/sweep/pipeline/audit';
import { useFreshSimulator } from '../sim';
import { expectedAgePicture, sorted } from '../sweep/fixture';

const workspace = useCliWorkspace('cli-audit-');
const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 23 });

function seed(users: number): string {
  return sim.seedPool({
    region: 'eu-west-1', users, statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 }, devicesPerUser: { min: 0, max: 7 }, maxAgeDays: 500,
  });
}

function records(file: string): AuditRecord[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

test('a dry run then a real run append records to one owner-only file: what was listed is what was forgotten', async () => {
  const poolId = seed(150);
  const file = workspace.file('audit.jsonl');
  const before = new Map(sim.allDevices(poolId).map((d) => [d.device.DeviceKey, d.username]));
  const args = ['--user-pool-id', poolId, '--stale-after', '120d', '--endpoint-url', sim.endpoint, '--json', '--audit-log', file];

  const dry = await runCliCaptured([...args, '--dry-run']);
  const dryLines = records(file);
  const real = await runCliCaptured(args);
  const all = records(file);
  const forgotten = sorted([...before.keys()].filter((key) => !sim.allDevices(poolId).some((d) => d.device.DeviceKey === key)));

  expect([dry.status, real.status]).toEqual([0, 0]);
  expect(statSync(file).mode % 0o1000).toBe(0o600);
  expect(forgotten.length).toBeGreaterThan(20);
  // Appended: the dry run's lines stay, the real run's follow, each run under the id its report names.
  expect(all.slice(0, dryLines.length)).toEqual(dryLines);
  const dryRunId = JSON.parse(dry.stdout).runId;
  const realRunId = JSON.parse(real.stdout).runId;
  expect(dryRunId).not.toBe(realRunId);
  const ofRun = (id: string) => all.filter((r) => r.runId === id);
  expect(ofRun(dryRunId).every((r) => r.outcome === 'wouldForget')).toBe(true);
  expect(ofRun(realRunId).every((r) => r.outcome === 'forgotten')).toBe(true);
  expect(sorted(ofRun(dryRunId).map((r) => r.deviceKey))).toEqual(forgotten);
  expect(sorted(ofRun(realRunId).map((r) => r.deviceKey))).toEqual(forgotten);
  expect(all).toHaveLength(2 * forgotten.length);
  for (const record of ofRun(realRunId)) expect(record.username).toBe(before.get(record.deviceKey));
});

test('an existing audit log keeps its mode and content; a directory is refused before any call', async () => {
  const poolId = seed(20);
  const file = workspace.file('kept.jsonl');
  writeFileSync(file, '{"earlier":true}\n', { mode: 0o640 });
  const run = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '1d', '--dry-run', '--endpoint-url', sim.endpoint, '--audit-log', file]);
  expect(run.status).toBe(0);
  expect(readFileSync(file, 'utf8').startsWith('{"earlier":true}\n')).toBe(true);
  expect(statSync(file).mode % 0o1000).toBe(0o640);

  const refused = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '1d', '--endpoint-url', sim.endpoint, '--audit-log', workspace.dir]);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain(`--audit-log: '${workspace.dir}' is a directory`);
});

test('on a terminal the report draws the age picture as bar charts within 80 columns (rendering captured for the README)', async () => {
  const poolId = sim.seedPool({
    poolId: 'eu-west-1_AbC123XyZ',
    region: 'eu-west-1',
    users: 400,
    statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 },
    devicesPerUser: { min: 0, max: 7 },
    maxAgeDays: 500,
  });
  const devices = sim.allDevices(poolId);
  const { status, stdout } = await runCliOnTerminal(['--user-pool-id', poolId, '--stale-after', '90d', '--dry-run', '--endpoint-url', sim.endpoint], 80);
  expect(status).toBe(0);

  const lines = stdout.split('\n');
  const charts = lines.slice(lines.findIndex((l) => l.startsWith(`${poolId}: devices by last use`))).join('\n').trimEnd();
  for (const line of charts.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  // Each bar's count is the simulator's: remembered plus not remembered per age, users per devices held.
  const expected = expectedAgePicture(devices, sim.usersOf(poolId), Date.now());
  const countOf = (label: string, from = 0) => Number(charts.split('\n').slice(from).find((l) => l.startsWith(`  ${label} `))!.trim().split(/\s+/).pop()!.replace(/,/g, ''));
  expect(countOf('< 7 d')).toBe(expected.remembered.under7Days + expected.notRemembered.under7Days);
  expect(countOf('90-180 d')).toBe(expected.remembered.days90To180 + expected.notRemembered.days90To180);
  expect(countOf('> 365 d')).toBe(expected.remembered.over365Days + expected.notRemembered.over365Days);
  expect(countOf('undated')).toBe(expected.remembered.undated + expected.notRemembered.undated);
  const usersFrom = charts.split('\n').findIndex((l) => l.includes('users by devices held'));
  expect(countOf('6+', usersFrom)).toBe(expected.usersByDeviceCount.sixOrMore);
  expect(countOf('not listed', usersFrom)).toBe(expected.usersByDeviceCount.notListed);
  expect(charts).toMatchSnapshot();
});
