// One polite live region for the whole console: what an action did, read out
// by screen readers and shown briefly on screen.
import { createStore } from '../store.js';

export const announcement = createStore<{ text: string; tone: 'ok' | 'error'; at: number } | null>(null);

export function announce(text: string, tone: 'ok' | 'error' = 'ok') {
  announcement.set({ text, tone, at: Date.now() });
}
