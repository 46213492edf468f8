/** Waits `ms` of real time: for tests that let a server or a poller run, never to time an assertion. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
