import { Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { sweepMetric } from './sweep-metrics';
import { SweepMetric } from '../common/sweep-metric';

/**
 * What every construct that sweeps devices has, whether or not it runs a state machine: its
 * `sweepName` and the metric methods over the metrics its sweeps publish. Internal (like
 * aws-cdk-lib's `UserPoolBase`): jsii copies these members onto each exported subclass.
 *
 * Two layers: `WorkflowSweepBase` adds the Step Functions workflow (`stateMachine`) and the runs
 * alarm for `DevicePurge` and `StaleDeviceCleanup`. A construct without a state machine (e.g. one
 * that sweeps a user's devices from a queue) extends this class directly, takes the exported
 * `DeviceSweepOptions` in its props, checks them with `checkDeviceSweepOptions`, and hands
 * `sweepName` to whatever publishes its metrics (the `SWEEP_NAME` environment variable of its
 * function), so its metric methods read the same metrics under the same names.
 *
 * @internal
 */
export abstract class SweepConstructBase extends Construct {
  /**
   * Value of the `SweepName` dimension of this construct's metrics: a name unique within the app,
   * made from the construct path (`Names.uniqueResourceName`), at most 255 characters.
   */
  public readonly sweepName: string;

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    this.sweepName = Names.uniqueResourceName(this, { maxLength: 255 });
  }

  /**
   * A metric of this construct's sweeps, in namespace `CognitoDeviceSweep` with dimension
   * `SweepName`. Statistic: sum; period: 5 minutes unless `props` says otherwise.
   *
   * @param metric which metric
   * @param props options that override the statistic, period, label...
   */
  public metricSweep(metric: SweepMetric, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sweepMetric(this.sweepName, metric, props);
  }

  /**
   * A metric of this construct's sweeps by name, in namespace `CognitoDeviceSweep` with dimension
   * `SweepName`. Statistic: sum; period: 5 minutes unless `props` says otherwise.
   *
   * @param metricName e.g. `DevicesForgotten`, `DevicesScanned`, `DevicesAlreadyGone`, `Errors`, `Throttled`
   * @param props options that override the statistic, period, label...
   * @deprecated use `metricSweep(SweepMetric.X)`, which only takes the names the sweep publishes
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sweepMetric(this.sweepName, metricName, props);
  }

  /**
   * Devices forgotten (in a dry run: none).
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricDevicesForgotten(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricSweep(SweepMetric.DEVICES_FORGOTTEN, props);
  }

  /**
   * Devices examined.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricDevicesScanned(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricSweep(SweepMetric.DEVICES_SCANNED, props);
  }

  /**
   * Runs that finished with errors (devices that could not be examined or forgotten) or whose input
   * the Lambda refused. Runs that fail or time out in a workflow show in its state machine's
   * `metricFailed()` and `metricTimedOut()`; the alarm watches all of them.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricRunsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricSweep(SweepMetric.RUNS_FAILED, props);
  }

  /**
   * Runs stopped by `maxForgets`.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricRunsCapped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricSweep(SweepMetric.RUNS_CAPPED, props);
  }
}
