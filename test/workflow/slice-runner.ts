import { SweepConfig, SweepRunProgress } from '../../src/workflow/contract';
import { runSlice, SLICE_SAFETY_MARGIN_MS, SliceContext, SliceOutcome } from '../../src/workflow/runtime/slice-logic';

/** What `runLoop` saw. */
export interface LoopRun {
  readonly output: SweepRunProgress;
  readonly outcomes: SliceOutcome[];
}

/**
 * Plays the state machine's loop locally: invoke the slice with the config and the previous progress,
 * pass its progress through JSON (as Step Functions does), and go again until it says done.
 *
 * @param sliceBudgetMs how long each slice may sweep (the Lambda's remaining time minus the margin)
 */
export async function runLoop(
  config: SweepConfig,
  context: Omit<SliceContext, 'remainingTimeMs'>,
  sliceBudgetMs: number,
  maxSlices = 500,
): Promise<LoopRun> {
  const outcomes: SliceOutcome[] = [];
  let progress: SweepRunProgress | null = null;
  for (let i = 0; i < maxSlices; i++) {
    const event = JSON.parse(JSON.stringify({ config, progress }));
    const outcome = await runSlice(event, { ...context, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + sliceBudgetMs });
    outcomes.push(outcome);
    progress = JSON.parse(JSON.stringify(outcome.progress)) as SweepRunProgress;
    if (progress.done) {
      return { output: progress, outcomes };
    }
  }
  throw new Error(`the loop did not finish within ${maxSlices} slices`);
}
