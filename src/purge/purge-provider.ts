/**
 * The custom resource plumbing of a DevicePurge: its onEvent and isComplete handlers (explicit roles,
 * own log groups), aws-cdk-lib's Provider around them, and the cdk-nag acknowledgements of both.
 * The children are created on the purge itself (ids `OnEvent`, `IsComplete`, `Provider`...), so the
 * logical ids stay those of the resources already deployed.
 */
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { findProviderParts } from './provider-parts';
import { acknowledgePurgeFindings } from './purge-nag';
import { IsCompleteFunction } from './runtime/is-complete-function';
import { OnEventFunction } from './runtime/on-event-function';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { validationError } from '../private/validation-error';

/** What the Provider plumbing needs from the purge. */
export interface PurgeProviderProps {
  /** The purge's workflow state machine, which the handlers start, follow and stop. */
  readonly stateMachine: sfn.StateMachine;
  /** How long the Provider (and CloudFormation) wait for one purge run at most. */
  readonly waitTimeout: Duration;
  /** Retention, key and removal policy of the handlers' and the Provider's log groups. */
  readonly logOptions: logs.LogGroupProps;
}

/**
 * Creates the handlers and the Provider on `scope` (the purge) and returns the Provider's service
 * token for the custom resource.
 */
export function createPurgeProvider(scope: Construct, props: PurgeProviderProps): string {
  const { stateMachine, logOptions } = props;
  const onEvent = handlerFunction(scope, 'OnEvent', OnEventFunction, logOptions,
    'Starts a Cognito device purge run for a CloudFormation deployment');
  // Starts runs; lists runs to report the latest when an update purges nothing.
  stateMachine.grantStartExecution(onEvent);
  stateMachine.grant(onEvent, 'states:ListExecutions');

  const isComplete = handlerFunction(scope, 'IsComplete', IsCompleteFunction, logOptions,
    'Follows a Cognito device purge run for a CloudFormation deployment');
  // Follows runs, and stops one the deployment gave up waiting for: executions of this state machine only.
  const executionArnPattern = executionArnPatternOf(stateMachine);
  iam.Grant.addToPrincipal({
    grantee: isComplete,
    actions: ['states:DescribeExecution', 'states:StopExecution'],
    resourceArns: [executionArnPattern],
  });

  const providerLogs = new logs.LogGroup(scope, 'ProviderLogs', logOptions);
  const frameworkOnEventRole = ManagedPolicyRole.forLambda(scope, 'FrameworkOnEventRole', providerLogs, 'CDK Provider framework onEvent of a Cognito device purge');
  const frameworkWaitRole = ManagedPolicyRole.forLambda(scope, 'FrameworkWaitRole', providerLogs, 'CDK Provider framework isComplete and onTimeout of a Cognito device purge');
  const provider = new cr.Provider(scope, 'Provider', {
    onEventHandler: onEvent,
    isCompleteHandler: isComplete,
    totalTimeout: props.waitTimeout,
    logGroup: providerLogs,
    frameworkOnEventRole,
    frameworkCompleteAndTimeoutRole: frameworkWaitRole,
  });

  const handlerPolicies = [onEvent, isComplete].map((fn) => (fn.role as ManagedPolicyRole).managedPolicy);
  acknowledgePurgeFindings({
    handlers: [onEvent, isComplete],
    handlerPolicies,
    provider: findProviderParts(provider, scope, true),
    frameworkPolicies: [frameworkOnEventRole.managedPolicy, frameworkWaitRole.managedPolicy],
    executionArnPattern,
    isCompletePolicy: handlerPolicies[1],
    unencryptedLogGroups: logOptions.encryptionKey ? [] :
      [onEvent, isComplete].map((fn) => fn.logGroup as logs.LogGroup).concat(providerLogs),
  });
  return provider.serviceToken;
}

function handlerFunction(
  scope: Construct,
  id: string,
  type: typeof OnEventFunction | typeof IsCompleteFunction,
  logOptions: logs.LogGroupProps,
  description: string,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, logOptions);
  const role = ManagedPolicyRole.forLambda(scope, `${id}Role`, logGroup, description);
  return new type(scope, id, {
    description,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
    memorySize: 256,
    // Each call is one or two Step Functions API calls (with SDK retries).
    timeout: Duration.minutes(1),
    tracing: lambda.Tracing.ACTIVE,
    environment: { POWERTOOLS_SERVICE_NAME: 'cognito-device-purge', NODE_OPTIONS: '--enable-source-maps' },
  });
}

/**
 * `arn:<partition>:states:<region>:<account>:execution:<state machine name>:*`, from the state
 * machine's literal name, so the policy (and its cdk-nag finding id) names this state machine plainly.
 */
function executionArnPatternOf(stateMachine: sfn.StateMachine): string {
  const name = (stateMachine.node.defaultChild as sfn.CfnStateMachine).stateMachineName;
  if (name === undefined || Token.isUnresolved(name)) {
    throw validationError(stateMachine, 'the sweep workflow\'s state machine must have a literal name.');
  }
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${name}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
