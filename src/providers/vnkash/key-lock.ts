// VNKash refuses a nonce that is not larger than the last one it saw for the
// key, so two calls with one key must not overtake each other on the wire.
// One queue per key for the whole process (shared by every connector built
// with that key): a call takes its nonce and sends only once the previous
// call with the same key has its answer.
const tails = new Map<string, Promise<void>>();

export async function withKeyLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
