/**
 * A real SFNClient whose requests never leave the process: a middleware at the front of the stack
 * answers each command from `answer` (or throws what it throws), so the handlers run the SDK's own
 * command classes and error types.
 */
import { SFNClient } from '@aws-sdk/client-sfn';

/** Answers one command: the output fields, or a thrown SDK exception. */
export type SfnAnswer = (command: string, input: Record<string, unknown>) => Promise<object> | object;

/** One command the fake received. */
export interface SfnCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** An SFNClient answered by `answer`, and the calls it received. */
export function fakeSfn(answer: SfnAnswer): { client: SFNClient; calls: SfnCall[] } {
  const calls: SfnCall[] = [];
  const client = new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      calls.push({ command, input });
      const output = await answer(command, input);
      return { output: { $metadata: {}, ...output }, response: {} };
    },
    { step: 'initialize', name: 'fakeSfn' },
  );
  return { client, calls };
}
