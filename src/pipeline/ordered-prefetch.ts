// Starts work on items as they are listed (fetches run concurrently, bounded elsewhere by p-limit
// and the byte budget) but hands results on strictly in listing order. Consuming in key order
// keeps a partition's results, firedtimes counters and checkpoints deterministic whatever the
// concurrency.

/**
 * Yields `start(item)` results in input order, keeping at most `ahead` started items beyond the
 * one being consumed. Rejections surface when their turn comes, never as unhandled rejections.
 */
export async function* orderedPrefetch<T, R>(
  items: AsyncIterable<T>,
  start: (item: T) => Promise<R>,
  ahead: number,
): AsyncGenerator<R> {
  const queue: Promise<R>[] = [];
  const enqueue = (item: T): void => {
    const p = start(item);
    p.catch(() => undefined); // observed later, in order
    queue.push(p);
  };
  for await (const item of items) {
    enqueue(item);
    if (queue.length > ahead) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}
