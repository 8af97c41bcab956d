// Tiny pieces every simulator uses: the request/response shapes, a one-shot
// steering queue, and callback delivery that tests can wait on. Simulators
// share nothing else with the connectors (signing is written again on purpose).

export interface SimulatorRequest {
  method: string;
  /** Path relative to the simulator's mount point, query string included. */
  url: URL;
  headers: Record<string, string>;
  rawBody: string;
  remoteAddress: string;
}

export interface SimulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
  /** Hold the answer this long (to make the client time out). */
  delayMs?: number;
}

export interface Simulator {
  /** Mount point: requests to /<name>/… reach this simulator with /<name> removed. */
  readonly name: string;
  handle(request: SimulatorRequest): Promise<SimulatorResponse | null>;
  /** Callbacks still on their way (tests can await `deliveries.idle()`). */
  readonly deliveries: CallbackDeliveries;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): SimulatorResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(value),
});

export const text = (status: number, body: string): SimulatorResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

/** Parses a JSON or form body (or the query string of a GET) into string-ish values. */
export function readParams(request: SimulatorRequest): Record<string, unknown> {
  if (request.method === 'GET') return Object.fromEntries(request.url.searchParams);
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      const value = JSON.parse(request.rawBody || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch {
      return {};
    }
  }
  if (type.includes('multipart/form-data')) return parseMultipart(request.rawBody, type);
  return Object.fromEntries(new URLSearchParams(request.rawBody));
}

function parseMultipart(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) return {};
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`)) {
    const match = /name="([^"]+)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n?$/.exec(part);
    if (match) fields[match[1]!] = match[2]!;
  }
  return fields;
}

/** A simulator's controls under /_sandbox/<action>: the method each takes, and what it does with the body (or, for GET, the query). */
export type SandboxActions = Record<
  string,
  { method: 'GET' | 'POST'; run(body: Record<string, any>, request: SimulatorRequest): SimulatorResponse | Promise<SimulatorResponse> }
>;

const SANDBOX_ACTION_PATH = /^\/_sandbox\/([a-z-]+)\/?$/;

/** A control's body: JSON (whatever the content type says, as curl users send it) or a form; null when it cannot be read. */
function readControlBody(request: SimulatorRequest): Record<string, unknown> | null {
  const body = request.rawBody.trim();
  if (body === '') return {};
  if ((request.headers['content-type'] ?? '').includes('json') || body.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(body);
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return readParams(request);
}

/**
 * Answers /_sandbox/<action> from a simulator's table of actions; null for
 * any other path (the simulator's own routes). An action that throws answers
 * 400 with its message, unless `failure` answers otherwise.
 */
export async function sandboxControlRoute(
  request: SimulatorRequest,
  actions: SandboxActions,
  failure: (error: unknown) => SimulatorResponse = (error) => json(400, { error: (error as Error).message }),
): Promise<SimulatorResponse | null> {
  const name = SANDBOX_ACTION_PATH.exec(request.url.pathname)?.[1];
  if (name === undefined) return null;
  const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (!action) return json(404, { error: `no sandbox action ${name}` });
  if (request.method !== action.method) return json(405, { error: `${action.method} expected` });
  const body = request.method === 'GET' ? Object.fromEntries(request.url.searchParams) : readControlBody(request);
  if (body === null) return json(400, { error: 'body must be a JSON object or a form' });
  try {
    return await action.run(body, request);
  } catch (error) {
    return failure(error);
  }
}

/** Behaviours a test or a demo can ask of the next request(s). */
export type Behaviour =
  | { kind: 'succeed' }
  | { kind: 'fail' }
  | { kind: 'pending' }
  /** Answer with the provider's documented error `code` (an HTTP status for API Ngân hàng). */
  | { kind: 'error'; code: string | number; message?: string }
  /** Hold the answer for delayMs (longer than the client's timeout to provoke one). */
  | { kind: 'delay'; delayMs: number; then?: Behaviour }
  | { kind: 'http-500' };

/** One-shot behaviours, queued per operation name ('*' matches any). */
export class SteeringQueue {
  private readonly queue: { operation: string; behaviour: Behaviour; remaining: number }[] = [];

  push(operation: string, behaviour: Behaviour, times = 1) {
    this.queue.push({ operation, behaviour, remaining: times });
  }

  take(operation: string): Behaviour | undefined {
    const index = this.queue.findIndex((item) => item.operation === operation || item.operation === '*');
    if (index < 0) return undefined;
    const item = this.queue[index]!;
    if (--item.remaining <= 0) this.queue.splice(index, 1);
    return item.behaviour;
  }

  clear() {
    this.queue.length = 0;
  }
}

export interface OutgoingCallback {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** For POST; for GET put the fields in the URL. */
  body?: string;
}

export interface DeliveryRecord {
  url: string;
  method: string;
  body?: string;
  status?: number;
  responseBody?: string;
  error?: string;
}

/**
 * Sends callbacks the way a provider does (fire and forget, from its side), and
 * keeps a record of each answer. `idle()` resolves once nothing is in flight,
 * so tests wait for an event, not for time.
 */
export class CallbackDeliveries {
  readonly log: DeliveryRecord[] = [];
  private inFlight = new Set<Promise<void>>();

  /** Sends each callback in order, one after the other, after an optional delay. */
  send(callbacks: OutgoingCallback[], delayMs = 0): void {
    const run = (async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      for (const callback of callbacks) {
        const record: DeliveryRecord = { url: callback.url, method: callback.method, body: callback.body };
        try {
          const response = await fetch(callback.url, {
            method: callback.method,
            headers: callback.headers,
            body: callback.method === 'POST' ? callback.body : undefined,
            signal: AbortSignal.timeout(10_000),
          });
          record.status = response.status;
          record.responseBody = await response.text();
        } catch (error) {
          record.error = String((error as Error)?.message ?? error);
        }
        this.log.push(record);
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
