import { ArnFormat, Aws, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SliceEnvironmentVariables } from './contract';
import { DISTRIBUTED_MAP_LABEL, domainMap } from './domain-map';
import { sliceInvoke } from './slice-invoke';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { SliceFunction } from './runtime/slice-function';
import { acknowledgeWorkflowFindings } from './workflow-nag';
import type { DeviceAudit } from '../audit/device-audit';
import { UserPoolDeviceGrants } from '../grants';
import type { SweepPools } from '../private/sweep-pools';
import { validationError } from '../private/validation-error';

/** Properties of a `SweepWorkflow`. */
export interface SweepWorkflowProps {
  /** The user pools the workflow may sweep, by whose credentials reach them; the slice refuses every other pool. */
  readonly pools: SweepPools;
  /** Quota domains swept at once (the Map's maxConcurrency, the slice Lambda's reserved concurrency). */
  readonly maxConcurrentDomains: number;
  /** Failed quota domains the run tolerates before the execution fails. */
  readonly toleratedDomainFailures: number;
  /** A fixed name for the slice Lambda's role. @default generated */
  readonly sliceRoleName?: string;
  /** Allow the slice to read the account's provisioned limits (GetProvisionedLimit, on "*"). */
  readonly readProvisionedLimits: boolean;
  /**
   * True for a workflow that only counts: the Lambda gets read-only grants, so even an execution
   * input with `dryRun: false` cannot forget anything.
   */
  readonly dryRun: boolean;
  /** Value of the `SweepName` dimension of the slice metrics. */
  readonly sweepName: string;
  /**
   * Longest time one execution may run. No default: each construct has its own (and its own bounds),
   * so the workflow takes whatever the construct resolved.
   */
  readonly timeout: Duration;
  /**
   * Retention of the slice Lambda's and the state machine's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Customer managed key that encrypts both log groups. The key policy must let the CloudWatch Logs
   * service principal of this Region use it.
   * @default - CloudWatch Logs encrypts the logs at rest with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * What happens to both log groups when they leave the stack. Names are never reused, so a
   * retained log group does not stop the stack from being deployed again.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Where the slices write audit records. @default no audit trail */
  readonly audit?: DeviceAudit;
}

/** Lambda's maximum timeout: each slice uses nearly all of it. */
const SLICE_TIMEOUT = Duration.minutes(15);

/**
 * The Step Functions Standard workflow that runs one sweep: a plan step splits the run into quota
 * domains (an account and a Region: Cognito's quotas are per account and Region), a Map runs one
 * loop of slice Lambda invocations per domain, each slice resuming from the cursor of the one
 * before (so a domain's sweep can take far longer than one Lambda), and a merge step folds the
 * domains' outcomes into the run's output.
 *
 * Execution input: `{"config": SweepConfig}`. Output: the merged `SweepRunOutput`
 * (`{done: true, capped, totals, slices, startedAt, finishedAt, domains, failedDomains, runFailed}`),
 * or `{done: false, skipped: true}` when another execution was already running. A failed domain's
 * slices that succeeded before the failure count in the totals (and in its `failedDomains` entry's
 * `partial`). More failed domains than tolerated fail the execution, with the merge's `failure`
 * line as the cause.
 *
 * Internal building block of `StaleDeviceCleanup` and `DevicePurge`.
 */
export class SweepWorkflow extends Construct {
  /** The state machine; start it with the execution input above. */
  public readonly stateMachine: sfn.StateMachine;
  /** The slice Lambda. */
  public readonly sliceFunction: lambda.Function;
  /** The slice Lambda's role: the role the sweep runs as, which other accounts' access roles trust. */
  public readonly sliceRole: iam.IRole;
  /** The slice Lambda's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The state machine's log group. */
  public readonly stateMachineLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SweepWorkflowProps) {
    super(scope, id);
    const userPools = [...props.pools.own, ...props.pools.foreign.flatMap((account) => account.pools)];
    if (userPools.length === 0) {
      throw validationError(this, 'userPools is empty; name at least one user pool to sweep.');
    }
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    const removalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.logGroup = new logs.LogGroup(this, 'SliceLogs', { retention, encryptionKey: props.logEncryptionKey, removalPolicy });
    // Grants land in a managed policy of the role's own rather than an inline one (see ManagedPolicyRole).
    const sliceRole = ManagedPolicyRole.forLambda(this, 'SliceRole', this.logGroup,
      `Slice Lambda of the Cognito device sweep ${props.sweepName}`, props.sliceRoleName);
    this.sliceRole = sliceRole;
    this.sliceFunction = this.createSliceFunction(props, sliceRole, userPools);
    const auditObjects = props.audit?._bindSlice(this.sliceFunction, props.sweepName);

    // A fixed name lets the definition and the role name the state machine's own ARN (for the
    // one-run-at-a-time guard) without a reference from the state machine to itself, which
    // CloudFormation would reject as a circular dependency. The name is unique per stack and path.
    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 80 });
    const stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.stateMachineLogGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small (Step Functions docs).
      // The stack id's UUID makes the name new for each stack instance: a retained group of a deleted
      // stack would otherwise squat the name and fail the next deployment with "already exists".
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      retention,
      encryptionKey: props.logEncryptionKey,
      removalPolicy,
    });

    const stateMachineRole = new ManagedPolicyRole(this, 'StateMachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `Runs the Cognito device sweep ${props.sweepName}`,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      role: stateMachineRole,
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(stateMachineArn, props, userPools.length)),
      timeout: props.timeout,
      tracingEnabled: true,
      // Execution data stays out of the logs: the config may name users (excludeUsernames, selection).
      logs: { destination: this.stateMachineLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    const ownExecutions = this.moveDistributedMapPolicy(stateMachineRole, stateMachineName);

    acknowledgeWorkflowFindings({
      sliceFunction: this.sliceFunction,
      slicePolicy: sliceRole.managedPolicy,
      stateMachinePolicy: stateMachineRole.managedPolicy,
      unencryptedLogGroups: props.logEncryptionKey ? [] : [this.logGroup, this.stateMachineLogGroup],
      auditObjects,
      ownExecutions,
      readsProvisionedLimits: props.readProvisionedLimits,
    });
  }

  /**
   * A Distributed Map's child executions need the state machine to start, watch and stop executions
   * of itself. CDK grants that in an inline policy (its ARN references the state machine, which
   * depends on its role); with the name fixed, the same statements go to the role's managed policy
   * instead, naming the ARNs by name: no inline policy, no cycle. Returns the wildcard ARNs granted.
   */
  private moveDistributedMapPolicy(role: ManagedPolicyRole, stateMachineName: string): string[] {
    if (!this.stateMachine.node.tryRemoveChild('DistributedMapPolicy')) return [];
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const executions = arn('execution', `${stateMachineName}:*`);
    const childExecutions = arn('execution', `${stateMachineName}/${DISTRIBUTED_MAP_LABEL}:*`);
    role.managedPolicy.addStatements(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [arn('stateMachine', stateMachineName)] }),
      new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] }),
      new iam.PolicyStatement({ actions: ['states:RedriveExecution'], resources: [childExecutions] }),
    );
    return [executions, childExecutions];
  }

  /** The role is explicit, without AWSLambdaBasicExecutionRole: it may write to its own log group only. */
  private createSliceFunction(props: SweepWorkflowProps, role: iam.IRole, userPools: cognitoRefs.IUserPoolRef[]): lambda.Function {
    const { own, foreign, accountRoles } = props.pools;
    const fn = new SliceFunction(this, 'SliceFunction', {
      description: 'Sweeps Cognito user pool devices for one slice of a Step Functions run',
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      timeout: SLICE_TIMEOUT,
      // The bench's engineCpuMsPerCall: one domain at its full default budget needs 0.34 vCPU with 2x headroom (README, Benchmark).
      memorySize: 1024,
      // One slice per quota domain at a time: the Map never runs more, and the reservation stops
      // anything else (a second execution that slipped past the guard) from doubling the load on
      // Cognito's quotas.
      reservedConcurrentExecutions: Math.min(props.maxConcurrentDomains, userPools.length),
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [SliceEnvironmentVariables.ALLOWED_USER_POOL_IDS]: userPools.map((pool) => pool.userPoolRef.userPoolId).join(','),
        ...(accountRoles.length === 0 ? {} : {
          [SliceEnvironmentVariables.ALLOWED_ACCOUNT_ROLE_ARNS]: accountRoles.map((account) => account.roleArn).join(','),
        }),
        [SliceEnvironmentVariables.SWEEP_NAME]: props.sweepName,
        POWERTOOLS_SERVICE_NAME: 'cognito-device-sweep',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    // This account's pools: the device grants, and DescribeUserPool (read-only, no user data) for
    // each pool's estimated users, the progress's time-left estimates.
    if (own.length > 0) {
      const grants = UserPoolDeviceGrants.fromUserPools(own);
      grants.describeUserPool(fn);
      if (props.dryRun) {
        grants.scanDevices(fn);
      } else {
        grants.sweepDevices(fn);
      }
    }
    if (props.readProvisionedLimits) {
      UserPoolDeviceGrants.readProvisionedLimits(fn);
    }
    // Other accounts' pools: a grant here would do nothing (pools have no resource policy); the slice
    // assumes each account's access role, whose trust policy checks the session name and external id.
    if (foreign.length > 0) {
      fn.addToRolePolicy(new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: foreign.map((account) => account.role.roleArn),
      }));
    }
    return fn;
  }

  /**
   * FindOtherRuns -> (another run in progress? -> Skipped) -> Plan -> Domains (a Map: one slice loop
   * per quota domain) -> Merge -> (more failed domains than tolerated? -> DomainsFailed : Finished).
   * State stays small: the config is a variable set once, each loop's slice replaces its `$progress`.
   */
  private definition(stateMachineArn: string, props: SweepWorkflowProps, maxDomains: number): sfn.IChainable {
    const findOtherRuns = tasks.CallAwsService.jsonata(this, 'FindOtherRuns', {
      comment: 'At most one run at a time: a start while another run is going ends as skipped.',
      service: 'sfn',
      action: 'listExecutions',
      iamAction: 'states:ListExecutions',
      iamResources: [stateMachineArn],
      parameters: { StateMachineArn: stateMachineArn, StatusFilter: 'RUNNING' },
      assign: {
        config: '{% $states.input.config %}',
        // ListExecutions is eventually consistent, and includes this execution once it shows up:
        // count the others only. Two starts in the same instant may both skip; the next one runs.
        otherRuns: '{% $count($states.result.Executions[ExecutionArn != $states.context.Execution.Id]) %}',
      },
    });
    findOtherRuns.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(5), maxAttempts: 3 });

    const skipped = sfn.Succeed.jsonata(this, 'Skipped', {
      comment: 'Another run of this workflow is in progress.',
      outputs: { done: false, skipped: true, reason: 'another execution of this workflow was running' },
    });

    const timeout = SLICE_TIMEOUT.plus(Duration.minutes(1));
    const plan = sliceInvoke(this, 'Plan', {
      comment: 'Checks the config and splits it into quota domains (an account and a Region each), with shares of maxForgets.',
      sliceFunction: this.sliceFunction,
      payload: { action: 'plan', config: '{% $config %}', run: { executionName: '{% $states.context.Execution.Name %}' } },
      resultVariable: 'plan',
      timeout,
    });

    const domains = domainMap(this, {
      sliceFunction: this.sliceFunction,
      sliceTaskTimeout: timeout,
      maxConcurrency: props.maxConcurrentDomains,
      maxDomains,
    });

    const merge = sliceInvoke(this, 'Merge', {
      comment: 'Merges the domains\' totals into the run\'s output and emits the run\'s metrics once.',
      sliceFunction: this.sliceFunction,
      payload: {
        action: 'merge',
        config: '{% $config %}',
        results: '{% $states.input %}',
        toleratedDomainFailures: props.toleratedDomainFailures,
      },
      resultVariable: 'output',
      timeout,
    });

    const finished = sfn.Succeed.jsonata(this, 'Finished', { outputs: '{% $output %}' });
    const domainsFailed = sfn.Fail.jsonata(this, 'DomainsFailed', {
      comment: 'More quota domains failed than the run tolerates; the cause names each and why.',
      error: 'DomainsFailed',
      cause: '{% $output.failure %}',
    });
    const tooManyFailures = sfn.Choice.jsonata(this, 'TooManyDomainsFailed?')
      // The merge decides (one home for the rule): runFailed when more domains failed than tolerated.
      .when(sfn.Condition.jsonata('{% $output.runFailed %}'), domainsFailed)
      .otherwise(finished);

    return findOtherRuns.next(
      sfn.Choice.jsonata(this, 'AnotherRunInProgress?')
        .when(sfn.Condition.jsonata('{% $otherRuns > 0 %}'), skipped)
        .otherwise(plan.next(domains).next(merge).next(tooManyFailures)),
    );
  }
}
