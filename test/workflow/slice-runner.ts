import { DomainOutcome, SliceRun, SweepConfig, SweepDomain, SweepPlan, SweepRunOutput, SweepRunProgress } from '../../src/workflow/contract';
import { runSlice, runStep, SLICE_SAFETY_MARGIN_MS, SliceContext, SliceMetric, SliceOutcome } from '../../src/workflow/runtime/slice-logic';
import type { CognitoSimulator } from '../sim';
import { WorkClock } from '../sweep/work-clock';

/** What `runLoop` saw. */
export interface LoopRun {
  readonly output: SweepRunProgress;
  readonly outcomes: SliceOutcome[];
}

/** How far the loop's work clock moves per call the simulator answers (ms). */
export const MS_PER_CALL = 10;

/** What the state machine adds to each slice's event besides the config and the progress. */
export interface LoopEventFields {
  readonly run?: SliceRun;
  /** The quota domain of the loop (an iteration of the Map over domains). */
  readonly domain?: SweepDomain;
}

/**
 * Plays the state machine's loop locally: invoke the slice with the config and the previous progress,
 * pass its progress through JSON (as Step Functions does), and go again until it says done (or, in
 * a domain's loop, that it stopped on an error no retry can fix: DomainDone? then ends the loop).
 * Slices end by work done, never by the machine's speed: each slice's deadline is read on a clock
 * that advances MS_PER_CALL per call `sim` answers (SliceContext.clock, test/sweep/work-clock.ts).
 *
 * @param sliceBudgetMs how long each slice may sweep (the Lambda's remaining time minus the margin), in ms of that clock
 */
export async function runLoop(
  sim: CognitoSimulator,
  config: SweepConfig,
  context: Omit<SliceContext, 'remainingTimeMs' | 'clock'>,
  sliceBudgetMs: number,
  maxSlices = 500,
  fields: LoopEventFields = {},
  onProgress: (progress: SweepRunProgress) => void = () => {},
): Promise<LoopRun> {
  const work = new WorkClock(sim, MS_PER_CALL);
  const outcomes: SliceOutcome[] = [];
  let progress: SweepRunProgress | null = null;
  for (let i = 0; i < maxSlices; i++) {
    const event = JSON.parse(JSON.stringify({ config, progress, ...fields }));
    const outcome = await runSlice(event, { ...context, clock: work.now, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + sliceBudgetMs });
    outcomes.push(outcome);
    progress = JSON.parse(JSON.stringify(outcome.progress)) as SweepRunProgress;
    onProgress(progress);
    if (progress.done || progress.stopped) {
      return { output: progress, outcomes };
    }
  }
  throw new Error(`the loop did not finish within ${maxSlices} slices`);
}

/** What `runWorkflow` saw. */
export interface WorkflowRun {
  readonly plan: SweepPlan;
  /** Each domain's loop, by key; absent for a domain whose loop failed. */
  readonly loops: ReadonlyMap<string, LoopRun>;
  /** What the Map handed to the merge, one outcome per domain in the plan's order. */
  readonly results: DomainOutcome[];
  /** The execution output. */
  readonly output: SweepRunOutput;
  /** The run-level metrics the merge emits. */
  readonly runMetrics: SliceMetric[];
}

/**
 * Plays the whole workflow locally: the plan, the Map over its quota domains (every domain's loop
 * at once, as the Map runs its iterations in parallel), each iteration's failure caught as the
 * Map's Catch gives it (`error`: the Lambda's errorType, the thrown error's name; `cause`: the
 * JSON `{"errorType","errorMessage"}` Step Functions makes of a Lambda failure; `partial`: the
 * domain's last progress, null when no slice succeeded), a loop whose slice returned `stopped` as
 * DomainStopped outputs it (`failed`: that stop; `partial`: that slice's progress), then the merge.
 * Every request and answer goes through JSON, as in Step Functions.
 *
 * @param options.afterSlice called after each slice that succeeded, with its domain and progress (to change the simulator between slices)
 */
export async function runWorkflow(
  sim: CognitoSimulator,
  config: SweepConfig,
  context: Omit<SliceContext, 'remainingTimeMs' | 'clock'>,
  sliceBudgetMs: number,
  options: {
    readonly executionName?: string;
    readonly toleratedDomainFailures?: number;
    readonly maxSlices?: number;
    readonly afterSlice?: (domain: SweepDomain, progress: SweepRunProgress) => void;
  } = {},
): Promise<WorkflowRun> {
  const run = { executionName: options.executionName ?? 'workflow-test-run' };
  const json = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;
  const step = (event: unknown) => runStep(json(event), { ...context, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + sliceBudgetMs });

  const planned = await step({ action: 'plan', config, run });
  if (planned.action !== 'plan') throw new Error('the plan request was not planned');
  const plan = json<SweepPlan>(planned.plan);

  const loops = new Map<string, LoopRun>();
  const results = await Promise.all(plan.domains.map(async (item): Promise<unknown> => {
    // The loop's $progress: what a failed slice leaves for the Catch (null as StartDomain sets it).
    let last: SweepRunProgress | null = null;
    const onProgress = (progress: SweepRunProgress): void => {
      last = progress;
      options.afterSlice?.(item.domain, progress);
    };
    try {
      const loop = await runLoop(sim, item.config, context, sliceBudgetMs, options.maxSlices, { run, domain: item.domain }, onProgress);
      if (loop.output.stopped) return { domain: item.domain, failed: loop.output.stopped, partial: loop.output };
      loops.set(item.domain.key, loop);
      return { domain: item.domain, progress: loop.output };
    } catch (error) {
      const { name, message } = error as Error;
      return { domain: item.domain, failed: { error: name, cause: JSON.stringify({ errorType: name, errorMessage: message }) }, partial: last };
    }
  }));

  const merged = await step({ action: 'merge', config, results, toleratedDomainFailures: options.toleratedDomainFailures ?? 0 });
  if (merged.action !== 'merge') throw new Error('the merge request was not merged');
  return { plan, loops, results: json(results), output: json(merged.output), runMetrics: merged.metrics };
}
