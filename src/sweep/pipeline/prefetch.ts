/**
 * Reads ahead of a consumer, at most `depth` items: the next ListUsers pages are fetched while the
 * current ones are processed, and fetching pauses when the consumer falls behind (backpressure).
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let closed = false;
  let wakeConsumer: () => void = () => {};
  let wakeProducer: () => void = () => {};

  const producer = (async () => {
    try {
      for await (const item of source) {
        buffer.push(item);
        wakeConsumer();
        while (buffer.length >= depth && !closed) await new Promise<void>((resolve) => (wakeProducer = resolve));
        if (closed) break;
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wakeConsumer();
    }
  })();

  try {
    for (;;) {
      if (buffer.length > 0) {
        const item = buffer.shift()!;
        wakeProducer();
        yield item;
      } else if (finished) {
        if (failure) throw failure.error;
        return;
      } else {
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
    }
  } finally {
    closed = true;
    wakeProducer();
    await producer;
  }
}
