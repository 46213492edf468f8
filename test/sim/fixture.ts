/**
 * One simulator per test file: `const sim = useSimulator({ ... })` starts it before the file's
 * tests and stops it after them. The handle forwards to the running simulator, so tests read
 * `sim.seedPool(...)` as if they held it, without a `let` and their own beforeAll/afterAll.
 */
import { CognitoSimulator } from './simulator';
import type { SimulatorOptions } from './types';

export function useSimulator(options: SimulatorOptions = {}): CognitoSimulator {
  let running: CognitoSimulator | undefined;
  beforeAll(async () => {
    running = await CognitoSimulator.start(options);
  });
  afterAll(async () => {
    await running?.stop();
    running = undefined;
  });
  return new Proxy({} as CognitoSimulator, {
    get(_, property) {
      if (!running) throw new Error(`useSimulator: the simulator is used outside a test (reading '${String(property)}')`);
      const value = Reflect.get(running, property, running);
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
}
