// Polling for tests of asynchronous pipelines: what a consumer, a database or a rebalance will have
// done soon, asserted without sleeping for a guessed time.

/** Polls `probe` until `check` holds for its value; fails with `what` and the last value seen. */
export async function eventually<T>(probe: () => T | Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
