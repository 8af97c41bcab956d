// The request id of the request being served, wherever the code runs (a
// resolver, a service, a provider call): log lines carry it without anyone
// passing it along, and a masked error can name it to the caller.
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
