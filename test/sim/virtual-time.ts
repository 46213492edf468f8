/**
 * Runs real HTTP work against the simulator in virtual time: jest's fake timers drive every clock
 * (the engine's limiters and paces, the simulator's latency and, with `clock: () => Date.now()`,
 * its buckets), and the fake clock moves only while no request is on its way, i.e. when every call
 * in flight sits in the simulator's latency timer. A round trip then takes exactly the simulator's
 * latency of virtual time, whatever the machine's speed: a rate seen by the simulator's buckets is
 * the one the engine's pacing decided, the same on a fast or a loaded machine.
 *
 * Use a simulator started (before the fake timers) with `clock: () => Date.now()`, and send through
 * the client `virtualTime` hands out (`clientFor`), so that it sees each call in flight.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoSimulator } from './simulator';

export interface VirtualTime {
  /** Counts the calls `client` has in flight (pass the clients the work sends through). */
  watch(client: CognitoIdentityProviderClient): CognitoIdentityProviderClient;
  /** Runs `work` to its end, moving the fake clock 1 ms at a time whenever no call is on its way. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** Virtual time over `sim`; call `run` while jest's fake timers are on (nextTick, setImmediate and queueMicrotask real). */
export function virtualTime(sim: CognitoSimulator): VirtualTime {
  let inFlight = 0;
  /** Calls the simulator received and has not answered yet: those wait in its latency timers. */
  const held = () => {
    const t = sim.stats.totals;
    return t.calls - t.succeeded - t.throttled - t.errors;
  };
  return {
    watch(client) {
      client.middlewareStack.add((next) => async (args) => {
        inFlight++;
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      }, { step: 'deserialize', name: 'virtualTimeInFlight' });
      return client;
    },
    async run<T>(work: () => Promise<T>): Promise<T> {
      let settled: { value: T } | { error: unknown } | undefined;
      work().then((value) => (settled = { value }), (error: unknown) => (settled = { error }));
      while (settled === undefined) {
        // A call is being sent, or its answer read: real time only (a real event-loop turn).
        if (inFlight > held()) await new Promise((resolve) => setImmediate(resolve));
        else await jest.advanceTimersByTimeAsync(1);
      }
      if ('error' in settled) throw settled.error;
      return settled.value;
    },
  };
}
