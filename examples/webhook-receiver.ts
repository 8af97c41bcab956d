// The shop's webhook receiver, as a backend would run it: an HTTP route that
// checks each webhook's signature with the `standardwebhooks` package, answers
// 2xx at once, and de-duplicates by webhook-id (a webhook can come twice). For
// the example it registers itself as an endpoint and removes itself after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import { Webhook } from 'standardwebhooks';
import { CreateWebhookEndpointDocument, DeleteWebhookEndpointDocument, type CreateWebhookEndpointMutation } from './gql/graphql.js';

interface EventDocument {
  id: string;
  type: string;
  timestamp: string;
  data: { object: string; id: string; status?: string; version: number };
}

async function call<T>(url: string, key: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const { data, errors } = (await response.json()) as { data?: T; errors?: unknown };
  if (errors || !data) throw new Error(JSON.stringify(errors));
  return data;
}

/** Starts a receiver on 127.0.0.1 and registers it for the order events. */
export async function receiveWebhooks(url: string, key: string) {
  const seen = new Set<string>();
  const events: EventDocument[] = [];
  let onEvent = () => {};
  let verifier: Webhook | undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      let event: EventDocument;
      try {
        event = verifier!.verify(body, req.headers as Record<string, string>) as EventDocument;
      } catch {
        res.writeHead(400).end(); // not signed by paygraph: refuse, paygraph never sends such a thing
        return;
      }
      res.writeHead(204).end(); // answer first, work after: a slow answer is retried
      if (seen.has(event.id)) return;
      seen.add(event.id);
      events.push(event);
      console.log(`webhook ${event.type} (${event.data.object} ${event.data.id} v${event.data.version}${event.data.status ? `, ${event.data.status}` : ''})`);
      onEvent();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const created = await call<CreateWebhookEndpointMutation>(url, key, print(CreateWebhookEndpointDocument), {
    input: { url: endpointUrl, eventTypes: ['ORDER_CREATED', 'ORDER_UPDATED'], description: 'examples/cash-in.ts' },
  });
  const result = created.createWebhookEndpoint;
  if (result.__typename !== 'MutationCreateWebhookEndpointSuccess') {
    // A server in production mode sends webhooks to public https addresses only.
    console.log(`no webhooks for this run: ${result.message}`);
    server.close();
    return { untilFinal: async (_orderId: string) => {}, close: async () => {} };
  }
  verifier = new Webhook(result.data.secret);
  console.log(`receiving webhooks at ${endpointUrl}`);
  return {
    /** Resolves once a webhook says the order reached a final status. */
    untilFinal(orderId: string) {
      return new Promise<void>((resolve) => {
        onEvent = () => {
          if (events.some((event) => event.data.id === orderId && !['PENDING', 'PROCESSING'].includes(event.data.status ?? 'PENDING'))) resolve();
        };
        onEvent();
      });
    },
    async close() {
      await call(url, key, print(DeleteWebhookEndpointDocument), { id: result.data.endpoint.id });
      server.close();
    },
  };
}
