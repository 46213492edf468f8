import { SweepConfig, SweepRunProgress } from '../../src/workflow/contract';
import { runSlice, SLICE_SAFETY_MARGIN_MS, SliceContext, SliceOutcome } from '../../src/workflow/runtime/slice-logic';
import type { CognitoSimulator } from '../sim';
import { WorkClock } from '../sweep/work-clock';

/** What `runLoop` saw. */
export interface LoopRun {
  readonly output: SweepRunProgress;
  readonly outcomes: SliceOutcome[];
}

/** How far the loop's work clock moves per call the simulator answers (ms). */
export const MS_PER_CALL = 10;

/**
 * Plays the state machine's loop locally: invoke the slice with the config and the previous progress,
 * pass its progress through JSON (as Step Functions does), and go again until it says done.
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
): Promise<LoopRun> {
  const work = new WorkClock(sim, MS_PER_CALL);
  const outcomes: SliceOutcome[] = [];
  let progress: SweepRunProgress | null = null;
  for (let i = 0; i < maxSlices; i++) {
    const event = JSON.parse(JSON.stringify({ config, progress }));
    const outcome = await runSlice(event, { ...context, clock: work.now, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + sliceBudgetMs });
    outcomes.push(outcome);
    progress = JSON.parse(JSON.stringify(outcome.progress)) as SweepRunProgress;
    if (progress.done) {
      return { output: progress, outcomes };
    }
  }
  throw new Error(`the loop did not finish within ${maxSlices} slices`);
}
