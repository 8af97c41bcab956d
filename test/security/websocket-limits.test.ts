// graphql-ws: a message size limit the server applies from a frame's header
// (nothing of the message is read), and a cap on connections per address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { createMerchant, startTestApp, type TestApp } from '../support/harness.js';

function open(url: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return { socket, opened, closed };
}

describe('WebSocket limits', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp({ WS_MAX_MESSAGE_BYTES: '4096', WS_MAX_CONNECTIONS_PER_IP: '2' });
    key = (await createMerchant(t.app)).apiKey;
  });
  afterAll(() => t.stop());

  it('drops a connection whose frame announces more than the limit, before any of it is sent', async () => {
    const bystander = open(t.url);
    await bystander.opened;
    const hostile = open(t.url);
    await hostile.opened;
    // A masked text frame header announcing 64 MiB, and not one byte of it.
    const header = Buffer.alloc(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(64n * 1024n * 1024n, 2);
    ((hostile.socket as unknown as { _socket: Socket })._socket).write(header);
    expect([1009, 1006]).toContain(await hostile.closed); // 1009 when the close frame beats the dropped connection

    // The other connection on the same server goes on.
    const ack = new Promise((resolve) => bystander.socket.once('message', (data) => resolve(JSON.parse(data.toString()).type)));
    bystander.socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
    expect(await ack).toBe('connection_ack');
    bystander.socket.close();
    await bystander.closed;
  });

  it('refuses a third connection from one address with HTTP 429, and takes one again when one closes', async () => {
    const first = open(t.url);
    const second = open(t.url);
    await Promise.all([first.opened, second.opened]);
    await expect(open(t.url).opened).rejects.toThrow('HTTP 429');
    first.socket.close();
    await first.closed;
    // The server counts the connection out when its side of the socket closes, which may trail the client's by a moment.
    let again = open(t.url);
    for (let attempt = 0; attempt < 50 && !(await again.opened.then(() => true, () => false)); attempt++) again = open(t.url);
    expect(again.socket.readyState).toBe(WebSocket.OPEN);
    second.socket.close();
    again.socket.close();
    await Promise.all([second.closed, again.closed]);
  });
});
