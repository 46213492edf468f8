/**
 * Every state machine the constructs synthesize, checked by asl-validator: the Amazon States
 * Language JSON schemas (JSONata flavour) plus a parse of every `{% ... %}` expression by the
 * jsonata library. Written by people outside this project, so it catches what our own
 * assertions on the definition's shape would not.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { stateMachineDefinitions, validateDefinition } from './state-machine-definitions';
import { StaleDeviceCleanup, StaleDeviceCleanupProps } from '../../src/cleanup';
import { DevicePurge, PurgeSelection } from '../../src/purge';
import { newStack } from '../util/stack';


function stackWith(build: (stack: Stack, userPool: cognito.IUserPool) => void): Template {
  const stack = newStack();
  build(stack, cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_Pool1'));
  return Template.fromStack(stack);
}

function cleanup(props: Partial<StaleDeviceCleanupProps>): Template {
  return stackWith((stack, userPool) => new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [userPool], staleAfter: Duration.days(90), ...props }));
}

function purge(selection: PurgeSelection): Template {
  return stackWith((stack, userPool) => new DevicePurge(stack, 'Purge', { userPool, selection, generation: '1' }));
}

/** A cleanup of `count` pools of account 222222222222, reached through its access role. */
function crossAccount(count: number): Template {
  const stack = newStack();
  const userPools = Array.from({ length: count }, (_, i) =>
    cognito.UserPool.fromUserPoolArn(stack, `Pool${i}`, `arn:aws:cognito-idp:eu-west-1:222222222222:userpool/eu-west-1_Pool${i}`));
  const role = iam.Role.fromRoleArn(stack, 'Access', 'arn:aws:iam::222222222222:role/CognitoDeviceSweepAccess');
  new StaleDeviceCleanup(stack, 'Cleanup', { userPools, staleAfter: Duration.days(90), accountAccess: [{ role, externalId: 'org' }], toleratedDomainFailures: 1 });
  return Template.fromStack(stack);
}

const CASES: [string, () => Template, number][] = [
  ['StaleDeviceCleanup, pools of another account (inline Map over quota domains)', () => crossAccount(3), 1],
  ['StaleDeviceCleanup, more pools than an inline Map takes (Distributed Map)', () => crossAccount(9), 1],
  ['StaleDeviceCleanup', () => cleanup({}), 1],
  ['StaleDeviceCleanup, dry run', () => cleanup({ dryRun: true }), 1],
  ['StaleDeviceCleanup, only remembered devices, capped', () => cleanup({ onlyRemembered: true, maxForgets: 10 }), 1],
  // The purge's custom resource adds the Provider framework's own waiter state machine.
  ['DevicePurge, stale devices', () => purge(PurgeSelection.staleDevices(Duration.days(30))), 2],
  ['DevicePurge, all devices', () => purge(PurgeSelection.allDevices()), 2],
  ['DevicePurge, named users', () => purge(PurgeSelection.users(['alice', 'bob'])), 2],
];

describe('asl-validator accepts every synthesized state machine', () => {
  test.each(CASES)('%s', (_name, synth, machines) => {
    const definitions = stateMachineDefinitions(synth());
    expect(Object.keys(definitions)).toHaveLength(machines);
    for (const [logicalId, definition] of Object.entries(definitions)) {
      expect({ logicalId, ...validateDefinition(definition) }).toEqual({ logicalId, valid: true, errors: '' });
    }
  });
});

describe('the validation can fail', () => {
  function sweepDefinition(): any {
    const definitions = Object.values(stateMachineDefinitions(cleanup({}))) as any[];
    return JSON.parse(JSON.stringify(definitions[0]));
  }

  function firstJsonataState(definition: any): [string, any] {
    const entry = Object.entries(definition.States as Record<string, any>).find(([, state]) => JSON.stringify(state).includes('{%'));
    if (!entry) throw new Error('the sweep workflow has no JSONata expression');
    return entry;
  }

  test('a JSONata expression that does not parse', () => {
    const definition = sweepDefinition();
    const [name, state] = firstJsonataState(definition);
    // Replace one expression of the state by the same expression with an unclosed parenthesis.
    const text = JSON.stringify(state);
    const broken = text.replace(/\{% ([^"]*?) %\}/, '{% ($1 %}');
    expect(broken).not.toEqual(text);
    Object.assign(state, JSON.parse(broken));
    const result = validateDefinition(definition);
    expect(result.valid).toBe(false);
    expect(result.errors).toContain(`/States/${name}/`);
  });

  test('a transition to a state that does not exist', () => {
    const definition = sweepDefinition();
    const [name, state] = Object.entries(definition.States as Record<string, any>).find(([, s]) => typeof s.Next === 'string')!;
    state.Next = `${name}-missing`;
    expect(validateDefinition(definition).valid).toBe(false);
  });

  test('a JSONPath-only field in a JSONata state machine', () => {
    const definition = sweepDefinition();
    const [, state] = firstJsonataState(definition);
    state.ResultPath = '$.result';
    expect(validateDefinition(definition).valid).toBe(false);
  });
});
