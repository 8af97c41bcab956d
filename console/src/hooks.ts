// Reading the API from components: a query with loading, error and reload,
// and a subscription that lives as long as the component.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { TypedDocumentString } from './gql/graphql.js';
import { request, subscribe } from './api.js';

export interface QueryState<R> {
  data: R | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): Promise<void>;
  /** Replaces the data in place (a live update, a mutation's answer). */
  update(change: (data: R) => R): void;
}

export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V): QueryState<R> {
  const [state, setState] = useState<{ data?: R; error?: Error; loading: boolean }>({ loading: true });
  const key = JSON.stringify(variables);
  const latest = useRef(0);
  const load = useCallback(async () => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await request(document, JSON.parse(key) as V);
      if (ticket === latest.current) setState({ data, loading: false });
    } catch (error) {
      if (ticket === latest.current) setState((previous) => ({ ...previous, error: error as Error, loading: false }));
    }
  }, [document, key]);
  useEffect(() => {
    void load();
  }, [load]);
  const update = useCallback((change: (data: R) => R) => setState((previous) => (previous.data ? { ...previous, data: change(previous.data) } : previous)), []);
  return { data: state.data, error: state.error, loading: state.loading, reload: load, update };
}

/** Subscribes while mounted (and while `enabled`); re-subscribes when the variables change. */
export function useSubscription<R, V>(document: TypedDocumentString<R, V>, variables: V, onData: (data: R) => void, enabled = true) {
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!enabled) return;
    return subscribe(document, JSON.parse(key) as V, (data) => handler.current(data));
  }, [document, key, enabled]);
}

/** Calls `load` every `ms` while `active` (a webhook delivery on its way). */
export function usePolling(load: () => void, ms: number, active: boolean) {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(load, ms);
    return () => clearInterval(timer);
  }, [load, ms, active]);
}
