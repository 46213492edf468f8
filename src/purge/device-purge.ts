import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { PurgeProperty } from './purge-properties';
import { createPurgeProvider } from './purge-provider';
import { PurgeSelection } from './purge-selection';
import { DeviceSweepOptions } from '../common/device-sweep-options';
import { validationError } from '../private/validation-error';
import { WorkflowSweepBase } from '../private/workflow-sweep-base';
import type { PoolCounterName } from '../sweep/pipeline/report';

/** Properties of a `DevicePurge`. */
export interface DevicePurgeProps extends DeviceSweepOptions {
  /** The user pool whose remembered devices are forgotten: owned, imported or L1 (`CfnUserPool`). */
  readonly userPool: cognitoRefs.IUserPoolRef;

  /** Which devices to forget. */
  readonly selection: PurgeSelection;

  /**
   * Any text; change it to purge again on the next deployment. A deployment that changes neither
   * the generation nor what is forgotten (pool, selection, `dryRun`, `excludeUsernames`,
   * `onlyRemembered`, a raised `maxForgets`) purges nothing; a change of `rateBudget` alone does not
   * purge again.
   *
   * @default '1'
   */
  readonly generation?: string;

  /**
   * Purge also when this resource is deleted (the stack is deleted, the construct removed, or
   * CloudFormation rolls back its creation). A failing purge never fails the deletion.
   *
   * @default false
   */
  readonly onDelete?: boolean;

  /**
   * Longest time one purge run may take; the run is stopped after it. When the deployment waits
   * (`waitForCompletion`), CloudFormation waits this long at most, so it must be between 5 minutes and
   * 1 hour; otherwise it may be up to 365 days.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;

  /**
   * Let the deployment wait until the purge finished, and fail when the purge fails. When false the
   * deployment goes on as soon as the run started, and the count attributes are not available.
   * A capped run (`maxForgets`) does not fail the deployment: the handler logs a warning, and
   * `metricRunsCapped()` and the alarm count it.
   *
   * @default true
   */
  readonly waitForCompletion?: boolean;
}

/** CloudFormation waits at most one hour for a custom resource (ServiceTimeout 1..3600 s). */
const MAX_WAIT = Duration.hours(1);
/** Below this a Step Functions run and the Provider's polling have no room to work. */
const MIN_TIMEOUT = Duration.minutes(5);
/** Standard workflows run at most one year. */
const MAX_RUN = Duration.days(365);
/**
 * The handler stops waiting this long before CloudFormation would, so that the stack shows the
 * handler's reason (and the run is stopped) rather than a bare timeout.
 */
const WAIT_MARGIN = Duration.minutes(1);

/**
 * Forgets remembered devices of a Cognito user pool while a stack deploys: on creation, and again
 * whenever `generation` or what is forgotten changes.
 *
 * The purge runs as a Step Functions workflow that calls the sweep engine in Lambda slices, under a
 * share of Cognito's request-rate quotas; a CloudFormation custom resource starts it and (by
 * default) waits for it, so the deployment fails with the run's reason when the purge fails.
 *
 * Users notice: a forgotten device must sign in (and pass MFA) again, and refresh tokens bound to
 * it stop working.
 *
 * @example
 * new DevicePurge(this, 'Purge', {
 *   userPool,
 *   selection: PurgeSelection.staleDevices(Duration.days(30)),
 *   generation: '2026-11-21',
 * });
 */
export class DevicePurge extends WorkflowSweepBase {
  /** ARN of the most recent purge run (a Step Functions execution), or `none`. */
  public readonly executionArn: string;

  private readonly resource: CustomResource;
  private readonly waitForCompletion: boolean;

  /**
   * Throws at synth time for settings that cannot work (see the props).
   *
   * @param scope the construct to define this one in
   * @param id the construct id, unique within `scope`
   * @param props which pools, which devices, and how
   */
  constructor(scope: Construct, id: string, props: DevicePurgeProps) {
    const waitForCompletion = props.waitForCompletion ?? true;
    const timeout = props.timeout ?? MAX_WAIT;
    super(scope, id, {
      kind: 'Cognito device purge',
      userPools: [props.userPool],
      options: props,
      timeout,
      validate: (self) => validateProps(self, props, timeout, waitForCompletion),
    });
    this.waitForCompletion = waitForCompletion;

    const waitTimeout = Duration.seconds(Math.min(timeout.toSeconds(), MAX_WAIT.toSeconds()));
    const serviceToken = createPurgeProvider(this, {
      stateMachine: this._workflow.stateMachine,
      waitTimeout,
      logOptions: {
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: props.logEncryptionKey,
        removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      },
    });

    this.resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::CognitoDevicePurge',
      serviceToken,
      serviceTimeout: waitTimeout,
      properties: {
        [PurgeProperty.STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn,
        [PurgeProperty.GENERATION]: props.generation ?? '1',
        [PurgeProperty.CONFIG]: Stack.of(this).toJsonString(this._sweepConfig(props.selection._toSweepSelection())),
        [PurgeProperty.ON_DELETE]: props.onDelete ?? false,
        [PurgeProperty.WAIT_FOR_COMPLETION]: this.waitForCompletion,
        [PurgeProperty.WAIT_LIMIT_SECONDS]: waitTimeout.minus(WAIT_MARGIN).toSeconds(),
      },
    });
    this.executionArn = this.resource.getAttString('executionArn');
  }

  /** Users listed by the purge run (all pool users, or the named ones). */
  public get usersScanned(): string {
    return this.count('usersScanned');
  }

  /** Devices listed by the purge run. */
  public get devicesScanned(): string {
    return this.count('devicesScanned');
  }

  /** Devices the selection picked (forgotten, or in a dry run: would be forgotten). */
  public get devicesStale(): string {
    return this.count('devicesStale');
  }

  /** Devices the purge run forgot (0 in a dry run). */
  public get devicesForgotten(): string {
    return this.count('devicesForgotten');
  }

  /** Devices (or users) that were gone by the time the purge run forgot them. */
  public get devicesAlreadyGone(): string {
    return this.count('devicesAlreadyGone');
  }

  /** Devices with no date at all, which a stale-device selection never forgets. */
  public get devicesUndated(): string {
    return this.count('devicesUndated');
  }

  /** Calls the purge run could not complete (it went on with the other users). */
  public get errors(): string {
    return this.count('errors');
  }

  private count(name: PoolCounterName): string {
    if (!this.waitForCompletion) {
      throw validationError(this,
        `${name} is only known when the deployment waits for the purge; ` +
        'remove waitForCompletion: false, or read the counts from the run (executionArn).',
      );
    }
    return this.resource.getAttString(name);
  }
}

/** The purge's own checks; the shared options are checked by the base. */
function validateProps(scope: Construct, props: DevicePurgeProps, timeout: Duration, waitForCompletion: boolean): void {
  if (timeout.isUnresolved()) {
    throw validationError(scope, 'give timeout as a literal Duration; the Provider and CloudFormation timeouts derive from it at synth time.');
  }
  const maxTimeout = waitForCompletion ? MAX_WAIT : MAX_RUN;
  if (timeout.toSeconds() < MIN_TIMEOUT.toSeconds() || timeout.toSeconds() > maxTimeout.toSeconds()) {
    throw validationError(scope,
      `timeout is ${timeout.toHumanString()}; use between 5 minutes and ${maxTimeout.toHumanString()}` +
      (waitForCompletion ? ' (CloudFormation waits at most 1 hour for a custom resource; set waitForCompletion: false for longer purges).' : '.'),
    );
  }
  if (props.generation !== undefined && !Token.isUnresolved(props.generation) && props.generation.length === 0) {
    throw validationError(scope, 'generation is empty; leave it out or give any non-empty text, e.g. a date.');
  }
}
