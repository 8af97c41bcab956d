// The console's session: its own short-lived API key (made at sign-in from the
// key the operator typed, which is not kept), in sessionStorage only, so it
// ends with the tab, at its expiry, or at sign-out (when it is revoked).
import { createStore } from './store.js';

export interface Session {
  /** The session key itself (pg_sk_…), sent as the bearer credential. */
  key: string;
  /** Its ApiKey id: revoked at sign-out, and how the console recognises its own decisions. */
  keyId: string;
  expiresAt: string;
  operator: string;
  merchantName: string;
  sandbox: boolean;
}

/** Why the sign-in page is shown. */
export type SignInNotice = 'expired' | 'signedOut' | null;

const STORAGE_KEY = 'paygraph.console.session';

function stored(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return value && new Date(value.expiresAt).getTime() > Date.now() ? value : null;
  } catch {
    return null;
  }
}

export const session = createStore<Session | null>(stored());
export const signInNotice = createStore<SignInNotice>(null);

export function startSession(value: Session) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  signInNotice.set(null);
  session.set(value);
}

export function endSession(notice: SignInNotice) {
  sessionStorage.removeItem(STORAGE_KEY);
  signInNotice.set(notice);
  session.set(null);
}

/** The session's display name for an operator: "console session (Lan)". */
export const sessionKeyName = (operator: string) => (operator ? `console session (${operator})` : 'console session');

/** How long a console session lasts: a working day. */
export const SESSION_MINUTES = 8 * 60;
