// A minimal client of the graphql-transport-ws protocol (what the server's
// graphql-ws speaks), for one subscription: connection_init with the token,
// subscribe, answer pings, reconnect with backoff when the connection drops.
// Hand-written so the checkout page has no dependency and no build step.

/** Close codes after which retrying cannot help (bad request, unauthorized, forbidden: the token is no longer valid). */
const FINAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4409]);

/**
 * @param {{ url: string, connectionParams: object, query: string, variables: object }} request
 * @param {{ next(payload: any): void, error(errors: any[]): void, complete(): void, connection?(state: 'connected' | 'reconnecting'): void }} sink
 * @returns {() => void} stops the subscription
 */
export function subscribe(request, sink) {
  const id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now());
  let socket;
  let finished = false;
  let attempt = 0;
  let retryTimer;

  const finish = () => {
    finished = true;
    clearTimeout(retryTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'Normal Closure');
  };
  const send = (message) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));

  function connect() {
    socket = new WebSocket(request.url, 'graphql-transport-ws');
    socket.onopen = () => send({ type: 'connection_init', payload: request.connectionParams });
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return socket.close(4400, 'Invalid message received');
      }
      if (message.type === 'connection_ack') {
        attempt = 0;
        sink.connection?.('connected');
        send({ id, type: 'subscribe', payload: { query: request.query, variables: request.variables } });
      } else if (message.type === 'ping') {
        send({ type: 'pong' });
      } else if (message.id === id && message.type === 'next') {
        sink.next(message.payload);
      } else if (message.id === id && message.type === 'error') {
        finish();
        sink.error(message.payload);
      } else if (message.id === id && message.type === 'complete') {
        finish();
        sink.complete();
      }
    };
    socket.onclose = (event) => {
      if (finished) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        finished = true;
        sink.error([{ message: event.reason || 'connection refused', extensions: { code: 'UNAUTHENTICATED' } }]);
        return;
      }
      sink.connection?.('reconnecting');
      // Exponential backoff with jitter, at most 30 s. The first message after a
      // reconnect is the order's current state, so nothing is missed meanwhile.
      const delay = Math.min(30_000, 1_000 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      retryTimer = setTimeout(connect, delay);
    };
  }

  connect();
  return () => {
    if (finished) return;
    send({ id, type: 'complete' });
    finish();
  };
}
