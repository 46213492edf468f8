/** Custom resource events as the CDK Provider framework hands them to the purge handlers. */
import { PurgeProperty } from '../../src/purge/purge-properties';
import type { SweepConfig } from '../../src/workflow/contract';

export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111111111111:stateMachine:PurgeWorkflow1234';
/** A presigned URL: its signature must never reach a log. */
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com/' +
  'arn%3Aaws%3Acloudformation?X-Amz-Signature=SECRET-SIGNATURE-4f3a';

export const STALE_CONFIG: SweepConfig = {
  userPoolIds: ['eu-west-1_AbCdEf123'],
  selection: { kind: 'stale', staleAfterSeconds: 30 * 86_400 },
  dryRun: false,
  rateBudget: { fraction: 0.5 },
};

export interface PropertyOptions {
  readonly generation?: string;
  readonly config?: SweepConfig;
  readonly onDelete?: boolean;
  readonly waitForCompletion?: boolean;
  readonly waitLimitSeconds?: number;
}

/** Resource properties as CloudFormation delivers them: every scalar a string. */
export function properties(options: PropertyOptions = {}): Record<string, unknown> {
  return {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework-onEvent',
    [PurgeProperty.STATE_MACHINE_ARN]: STATE_MACHINE_ARN,
    [PurgeProperty.GENERATION]: options.generation ?? '1',
    [PurgeProperty.CONFIG]: JSON.stringify(options.config ?? STALE_CONFIG),
    [PurgeProperty.ON_DELETE]: String(options.onDelete ?? false),
    [PurgeProperty.WAIT_FOR_COMPLETION]: String(options.waitForCompletion ?? true),
    [PurgeProperty.WAIT_LIMIT_SECONDS]: String(options.waitLimitSeconds ?? 3540),
  };
}

const COMMON = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:framework-onEvent',
  ResponseURL: RESPONSE_URL,
  StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/App/9a1b2c3d',
  LogicalResourceId: 'PurgeResource1A2B3C4D',
  ResourceType: 'Custom::CognitoDevicePurge',
};

export function createEvent(options: PropertyOptions = {}, requestId = '11111111-2222-3333-4444-555555555555') {
  return { ...COMMON, RequestType: 'Create' as const, RequestId: requestId, ResourceProperties: properties(options) };
}

export function updateEvent(oldOptions: PropertyOptions, newOptions: PropertyOptions,
  physicalResourceId = 'cognito-device-purge/11111111-2222-3333-4444-555555555555') {
  return {
    ...COMMON,
    RequestType: 'Update' as const,
    RequestId: '66666666-7777-8888-9999-000000000000',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties(newOptions),
    OldResourceProperties: properties(oldOptions),
  };
}

export function deleteEvent(options: PropertyOptions = {},
  physicalResourceId = 'cognito-device-purge/11111111-2222-3333-4444-555555555555') {
  return {
    ...COMMON,
    RequestType: 'Delete' as const,
    RequestId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties(options),
  };
}
