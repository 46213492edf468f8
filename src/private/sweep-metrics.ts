import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, SWEEP_NAME_DIMENSION } from '../workflow/contract';

/**
 * A metric the slice Lambda of the sweep `sweepName` publishes: namespace `CognitoDeviceSweep`,
 * dimension `SweepName`, sum over 5 minutes unless `props` says otherwise. Shared by the constructs'
 * `metricXxx()` methods so both name their metrics the same way.
 */
export function sweepMetric(sweepName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [SWEEP_NAME_DIMENSION]: sweepName },
    statistic: cloudwatch.Stats.SUM,
    ...props,
  });
}
