/**
 * Every AWS request the deployed code makes, evaluated as AWS does: each handler bundle runs (as the
 * template deploys it) against the simulator, dynalite and a fake Step Functions behind a recording
 * gateway; each recorded call must be Allowed by exactly the policies the template attaches to the
 * function's role, and Denied for the same call on a resource the construct was not given.
 */
import { callFindings } from './call-findings';
import { policiesOfRole } from './role-policies';
import { DEPLOYED_ENTRIES, runEntry } from '../deployed/entries';
import { startWorld, World } from '../deployed/world';

describe('the deployed code makes only calls its role allows', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => world.stop());

  test.each(DEPLOYED_ENTRIES.map((row) => [`${row.entry} in ${row.stack.name}`, row] as const))('%s', async (_name, row) => {
    const { functions, resolver, requests } = await runEntry(world, row);
    for (const fn of functions) {
      const policies = policiesOfRole(resolver, fn.roleLogicalId);
      const { calls, problems } = await callFindings(requests.filter((r) => r.caller === fn.roleLogicalId), fn.roleLogicalId, policies);
      expect(problems).toEqual([]);
      expect(new Set(calls.map((c) => c.action))).toEqual(new Set(row.actions));
    }
  });
});
