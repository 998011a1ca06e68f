/**
 * `Promise.all(items.map(task))` with at most `limit` tasks running at a
 * time, results in the order of `items`. For the file-system calls made on
 * every file of a spool: one after another, each waits a full round trip to
 * libuv's thread pool (about 0.2 ms each here, 2 s for a backlog of 10,000
 * segments); all at once, a large backlog would queue everything at once.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
