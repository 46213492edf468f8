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
  return forwardTo(() => running, 'useSimulator');
}

/**
 * A fresh simulator for every test of the file (for tests that count calls or reshape pools from
 * scratch): started before each test, stopped after it, read through the same forwarding handle.
 */
export function useFreshSimulator(options: SimulatorOptions = {}): CognitoSimulator {
  let running: CognitoSimulator | undefined;
  beforeEach(async () => {
    running = await CognitoSimulator.start(options);
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return forwardTo(() => running, 'useFreshSimulator');
}

function forwardTo(current: () => CognitoSimulator | undefined, name: string): CognitoSimulator {
  return new Proxy({} as CognitoSimulator, {
    get(_, property) {
      const running = current();
      if (!running) throw new Error(`${name}: the simulator is used outside a test (reading '${String(property)}')`);
      const value = Reflect.get(running, property, running);
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
}
