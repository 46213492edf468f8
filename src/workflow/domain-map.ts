import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { sliceInvoke } from './slice-invoke';

/**
 * An inline Map keeps every iteration's events in the run's own history, which Step Functions caps
 * at 25,000 events: a slice loop adds about 7 per slice, so a run over more domains than this uses a
 * Distributed Map, whose iterations are child executions with histories of their own.
 */
export const INLINE_MAP_MAX_DOMAINS = 8;

/** The Distributed Map's label: its child executions are named `<state machine>/<label>:<id>`. */
export const DISTRIBUTED_MAP_LABEL = 'QuotaDomains';

/** What the Map over quota domains needs. */
export interface DomainMapProps {
  readonly sliceFunction: lambda.IFunction;
  /** Longest time of one slice invocation (the Lambda's timeout plus a margin). */
  readonly sliceTaskTimeout: Duration;
  /** Iterations at a time. */
  readonly maxConcurrency: number;
  /** Most domains a run of this workflow can have (its pools, at synth time): picks the Map's kind. */
  readonly maxDomains: number;
}

/**
 * The Map over the plan's quota domains (`$plan.domains`): each iteration runs its domain's slice
 * loop (StartDomain -> Slice -> DomainDone? -> DomainFinished) and outputs `{domain, progress}`; a
 * loop that fails (after the slice's retries) is caught and outputs `{domain, failed: {error,
 * cause}, partial}` (`partial` its last progress, null when no slice succeeded), so one domain's
 * failure never stops the others and what it did still counts. A slice stopped by an error no
 * retry can fix returns its progress with `stopped` (DomainStopped): the same failed outcome, its
 * partial including what that slice did. The Map's output, one outcome per domain, is the merge
 * step's `results`.
 *
 * Iterations take everything from their item (never the run's variables), as the child executions
 * of a Distributed Map must.
 */
export function domainMap(scope: Construct, props: DomainMapProps): sfn.MapBase {
  const mapProps = {
    comment: 'Sweeps each quota domain (an account and a Region) in its own slice loop, under its own quotas.',
    items: sfn.ProvideItems.jsonata('{% $plan.domains %}'),
    itemSelector: {
      domain: '{% $states.context.Map.Item.Value.domain %}',
      config: '{% $states.context.Map.Item.Value.config %}',
      executionName: '{% $states.context.Execution.Name %}',
    },
    maxConcurrency: props.maxConcurrency,
  };
  const map = props.maxDomains > INLINE_MAP_MAX_DOMAINS
    ? sfn.DistributedMap.jsonata(scope, 'Domains', {
      ...mapProps,
      // Standard child executions: a domain's loop may outlast an Express execution's 5 minutes.
      mapExecutionType: sfn.StateMachineType.STANDARD,
      label: DISTRIBUTED_MAP_LABEL,
    })
    : sfn.Map.jsonata(scope, 'Domains', mapProps);
  map.itemProcessor(domainLoop(scope, props));
  return map;
}

function domainLoop(scope: Construct, props: DomainMapProps): sfn.IChainable {
  const start = sfn.Pass.jsonata(scope, 'StartDomain', {
    comment: 'The domain\'s config and the run\'s name, from the Map item; no progress yet.',
    assign: {
      domain: '{% $states.input.domain %}',
      config: '{% $states.input.config %}',
      executionName: '{% $states.input.executionName %}',
      progress: '{% null %}',
    },
  });
  const slice = sliceInvoke(scope, 'Slice', {
    comment: 'Sweeps the domain until shortly before the Lambda timeout and returns its progress.',
    sliceFunction: props.sliceFunction,
    payload: {
      config: '{% $config %}',
      progress: '{% $progress %}',
      run: { executionName: '{% $executionName %}' },
      domain: '{% $domain %}',
    },
    resultVariable: 'progress',
    timeout: props.sliceTaskTimeout,
  });
  // The Catch's input is the error ({Error, Cause}); a failed Slice assigns nothing, so $progress
  // is still the last slice that succeeded (null if none): what the domain did, for the merge.
  const failed = sfn.Pass.jsonata(scope, 'DomainFailed', {
    comment: 'The domain\'s loop failed for good: say which and why, with what it did so far, and let the other domains go on.',
    outputs: {
      domain: '{% $domain %}',
      failed: { error: '{% $states.input.Error %}', cause: '{% $states.input.Cause %}' },
      partial: '{% $progress %}',
    },
  });
  slice.addCatch(failed, { errors: [sfn.Errors.ALL] });
  const stopped = sfn.Pass.jsonata(scope, 'DomainStopped', {
    comment: 'A slice stopped on an error no retry can fix: the domain failed, with what its slices did (that one included).',
    outputs: { domain: '{% $domain %}', failed: '{% $progress.stopped %}', partial: '{% $progress %}' },
  });
  const finished = sfn.Pass.jsonata(scope, 'DomainFinished', {
    outputs: { domain: '{% $domain %}', progress: '{% $progress %}' },
  });
  const done = sfn.Choice.jsonata(scope, 'DomainDone?')
    .when(sfn.Condition.jsonata('{% $exists($progress.stopped) %}'), stopped)
    .when(sfn.Condition.jsonata('{% $progress.done %}'), finished)
    .otherwise(slice);
  return start.next(slice).next(done);
}
