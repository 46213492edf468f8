/**
 * The deployed code on the Node the Lambda runtime runs (`nodejs24.x`): this suite runs under the
 * Node 24 binary of .ci/node-runtimes (`npx projen test:node-runtimes`), and so does every bundle it
 * starts: each Lambda bundle (the asset its template references, with the template's environment)
 * through every AWS call it makes against the simulator, and the CLI bundle, which also runs on Node 22.
 */
import { nodeBinary } from './node-binaries';
import { runCliBundle } from '../deployed/cli-bundle';
import { functionsRunning, invoke } from '../deployed/deployed-function';
import { DEPLOYED_ENTRIES, runEntry } from '../deployed/entries';
import { cleanupStack } from '../deployed/stacks';
import { startWorld, World } from '../deployed/world';
import { TemplateResolver } from '../iam/template-resolver';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world.stop());

test('this suite runs on Node 24', () => {
  expect(process.version).toMatch(/^v24\./);
});

test.each(DEPLOYED_ENTRIES.map((row) => [`${row.entry} in ${row.stack.name}`, row] as const))('%s runs on Node 24', async (_name, row) => {
  const { nodeVersions } = await runEntry(world, row, nodeBinary(24));
  expect([...nodeVersions]).toEqual([expect.stringMatching(/^v24\./)]);
});

test.each([22, 24] as const)('the CLI bundle sweeps a pool on Node %i', async (major) => {
  const node = nodeBinary(major);
  const help = await runCliBundle(['--help'], { node });
  expect(help).toMatchObject({ status: 0, stderr: '' });
  expect(help.stdout).toContain('Usage: cognito-device-sweep --user-pool-id ID');

  const userPoolId = world.sim.seedPool({ region: 'eu-west-1', users: 5, devicesPerUser: 2, maxAgeDays: 365 });
  const before = world.sim.allDevices(userPoolId).length;
  const run = await runCliBundle(['--user-pool-id', userPoolId, '--stale-after', '90d', '--endpoint-url', world.gateway.endpoint, '--json'], { node });
  expect(run.status).toBe(0);
  const pool = JSON.parse(run.stdout).pools[0];
  expect(pool).toMatchObject({ userPoolId, usersScanned: 5, devicesScanned: before, errors: 0 });
  expect(pool.devicesForgotten).toBeGreaterThan(0);
  expect(world.sim.allDevices(userPoolId).length).toBe(before - pool.devicesForgotten);
});

test('a refused slice event fails with its error type, and the minified bundle\'s stack names the TypeScript source', async () => {
  const { template, userPoolLogicalId } = cleanupStack();
  const [slice] = functionsRunning(new TemplateResolver(template, { [userPoolLogicalId]: 'eu-west-1_Given1' }), 'src/workflow/runtime/slice.lambda.ts');
  const refused = await invoke(slice, { node: nodeBinary(24), endpoint: world.gateway.endpoint, event: { config: {} } });
  expect(refused).toMatchObject({ node: expect.stringMatching(/^v24\./), error: { name: 'SliceInputError' } });
  // The template's NODE_OPTIONS=--enable-source-maps maps the minified frames back.
  expect(refused.logs).toContain('src/workflow/runtime/slice-event.ts:');
});
