// Paths under /console, with the History API (the server answers every
// /console/… path with the app). Links are real <a href>s: they open in a new
// tab, copy and read as links.
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { createStore, useStore } from './store.js';

export const BASE = '/console';

export interface Location {
  /** The path inside the console: "/", "/orders/…". */
  path: string;
  query: URLSearchParams;
  /** Counts clicks on a link to the page already shown: the page starts afresh (reads the API again). */
  visit: number;
}

function read(visit = 0): Location {
  const { pathname, search } = window.location;
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) || '/' : '/';
  return { path: path.length > 1 ? path.replace(/\/$/, '') : path, query: new URLSearchParams(search), visit };
}

const current = createStore<Location>(read());
window.addEventListener('popstate', () => current.set(read()));

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const same = BASE + to === window.location.pathname + window.location.search;
  window.history[options.replace || same ? 'replaceState' : 'pushState'](null, '', BASE + to);
  current.set(read(same ? current.get().visit + 1 : 0));
}

export const useLocation = () => useStore(current);

/** The same path with these query parameters changed (empty values dropped). */
export function withQuery(location: Pick<Location, 'path' | 'query'>, changes: Record<string, string | null | undefined>): string {
  const query = new URLSearchParams(location.query);
  for (const [name, value] of Object.entries(changes)) {
    if (value) query.set(name, value);
    else query.delete(name);
  }
  const text = query.toString();
  return `${location.path}${text ? `?${text}` : ''}`;
}

interface LinkProps {
  href: string;
  children?: ComponentChildren;
  class?: string;
  'aria-current'?: AnchorHTMLAttributes['aria-current'];
  'aria-label'?: string;
}

export function Link({ href, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={BASE + href}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}
