import { createEvent, deleteEvent, STALE_CONFIG, STATE_MACHINE_ARN, updateEvent } from './events';
import { PurgeProperty } from '../../src/purge/purge-properties';
import { executionArnFor, isOwnPhysicalId, planEvent, StartPlan } from '../../src/purge/runtime/purge-plan';

const OWN_ID = 'cognito-device-purge/11111111-2222-3333-4444-555555555555';

describe('CREATE', () => {
  test('starts a run named after the request, with the config as execution input', () => {
    const plan = planEvent(createEvent()) as StartPlan;
    expect(plan).toMatchObject({
      action: 'start',
      physicalResourceId: OWN_ID,
      executionName: 'purge-create-11111111-2222-3333-4444-555555555555',
      input: { config: STALE_CONFIG },
    });
    expect(plan.properties).toMatchObject({ stateMachineArn: STATE_MACHINE_ARN, onDelete: false, waitForCompletion: true, waitLimitSeconds: 3540 });
  });

  test('the same request (a retried delivery) plans the same execution name', () => {
    expect((planEvent(createEvent()) as StartPlan).executionName).toEqual((planEvent(createEvent()) as StartPlan).executionName);
    expect((planEvent(createEvent({}, 'another-request')) as StartPlan).executionName).toEqual('purge-create-another-request');
  });

  test('refuses properties DevicePurge did not write, saying which', () => {
    const event = createEvent();
    expect(() => planEvent({ ...event, ResourceProperties: { ...event.ResourceProperties, [PurgeProperty.CONFIG]: '{not json' } }))
      .toThrow(/Config is not JSON/);
    expect(() => planEvent({ ...event, ResourceProperties: { ...event.ResourceProperties, [PurgeProperty.STATE_MACHINE_ARN]: 'arn:aws:s3:::bucket' } }))
      .toThrow(/is not a state machine ARN/);
    expect(() => planEvent({ ...event, ResourceProperties: { ...event.ResourceProperties, [PurgeProperty.ON_DELETE]: 'yes' } }))
      .toThrow(/OnDelete must be 'true' or 'false', got 'yes'/);
    const { [PurgeProperty.GENERATION]: _generation, ...withoutGeneration } = event.ResourceProperties;
    expect(() => planEvent({ ...event, ResourceProperties: withoutGeneration })).toThrow(/property Generation is missing/);
  });

  test('accepts booleans and numbers as the template writes them, before CloudFormation turns them into strings', () => {
    const event = createEvent();
    const plan = planEvent({
      ...event,
      ResourceProperties: { ...event.ResourceProperties, [PurgeProperty.ON_DELETE]: true, [PurgeProperty.WAIT_LIMIT_SECONDS]: 240 },
    }) as StartPlan;
    expect(plan.properties).toMatchObject({ onDelete: true, waitLimitSeconds: 240 });
  });
});

describe('UPDATE', () => {
  test('a new generation purges again, keeping the physical id', () => {
    const plan = planEvent(updateEvent({ generation: '1' }, { generation: '2026-11-21' }));
    expect(plan).toMatchObject({
      action: 'start',
      physicalResourceId: OWN_ID,
      executionName: 'purge-update-66666666-7777-8888-9999-000000000000',
    });
  });

  test('the same generation and selection purges nothing and reports the last run', () => {
    expect(planEvent(updateEvent({ generation: '1' }, { generation: '1', waitLimitSeconds: 600 })))
      .toMatchObject({ action: 'report-last', physicalResourceId: OWN_ID });
  });

  test('a new selection purges again', () => {
    const all = { ...STALE_CONFIG, selection: { kind: 'all' as const } };
    expect(planEvent(updateEvent({ config: STALE_CONFIG }, { config: all }))).toMatchObject({ action: 'start' });
    const older = { ...STALE_CONFIG, selection: { kind: 'stale' as const, staleAfterSeconds: 90 * 86_400 } };
    expect(planEvent(updateEvent({ config: STALE_CONFIG }, { config: older }))).toMatchObject({ action: 'start' });
  });

  test.each([
    ['dryRun', { dryRun: true }],
    ['excludeUsernames', { excludeUsernames: ['ops'] }],
    ['onlyRemembered', { onlyRemembered: true }],
    ['the pool', { userPoolIds: ['eu-west-1_Other9876'] }],
  ])('a change of %s purges again', (_label, change) => {
    expect(planEvent(updateEvent({ config: STALE_CONFIG }, { config: { ...STALE_CONFIG, ...change } }))).toMatchObject({ action: 'start' });
  });

  test('a change of speed (rateBudget) alone does not purge again', () => {
    expect(planEvent(updateEvent({ config: STALE_CONFIG }, { config: { ...STALE_CONFIG, rateBudget: { fraction: 0.2 } } })))
      .toMatchObject({ action: 'report-last' });
  });

  test('the same config written with its keys in another order is no change', () => {
    const event = updateEvent({}, {});
    const reordered = JSON.stringify({
      rateBudget: STALE_CONFIG.rateBudget,
      dryRun: false,
      selection: { staleAfterSeconds: 30 * 86_400, kind: 'stale' },
      userPoolIds: STALE_CONFIG.userPoolIds,
    });
    expect(planEvent({ ...event, ResourceProperties: { ...event.ResourceProperties, [PurgeProperty.CONFIG]: reordered } }))
      .toMatchObject({ action: 'report-last' });
  });

  test('old properties from an unknown writer purge rather than guess', () => {
    const event = updateEvent({}, {});
    expect(planEvent({ ...event, OldResourceProperties: { Something: 'else' } })).toMatchObject({ action: 'start' });
  });
});

describe('DELETE', () => {
  test('without onDelete does nothing', () => {
    expect(planEvent(deleteEvent({ onDelete: false }))).toEqual({ action: 'none', physicalResourceId: OWN_ID, reason: 'onDelete is false' });
  });

  test('with onDelete purges, keeping the physical id', () => {
    expect(planEvent(deleteEvent({ onDelete: true }))).toMatchObject({
      action: 'start',
      physicalResourceId: OWN_ID,
      executionName: 'purge-delete-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
  });

  test.each([
    ['the Provider framework\'s failed-CREATE marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['the Provider framework\'s missing-id marker', 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID'],
    ['a log stream name', '2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef'],
    ['a bare request id', '11111111-2222-3333-4444-555555555555'],
  ])('after a failed CREATE, under %s, does nothing even with onDelete', (_label, physicalResourceId) => {
    expect(planEvent(deleteEvent({ onDelete: true }, physicalResourceId))).toMatchObject({ action: 'none', physicalResourceId });
  });
});

test('isOwnPhysicalId accepts only ids this handler issues', () => {
  expect(isOwnPhysicalId(OWN_ID)).toBe(true);
  expect(isOwnPhysicalId('cognito-device-purge/')).toBe(false);
  expect(isOwnPhysicalId('cognito-device-purge/x/../y')).toBe(false);
  expect(isOwnPhysicalId(undefined)).toBe(false);
});

test('executionArnFor builds the execution ARN of a state machine', () => {
  expect(executionArnFor(STATE_MACHINE_ARN, 'purge-create-1'))
    .toEqual('arn:aws:states:eu-west-1:111111111111:execution:PurgeWorkflow1234:purge-create-1');
});
