// Who a change is recorded as: the API key that asked for it.
import type { Context } from './builder.js';

export function actorOf(ctx: Context): string {
  return ctx.caller.kind === 'merchant' ? `api-key:${ctx.caller.apiKeyId}` : 'anonymous';
}
