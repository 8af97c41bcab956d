// A shop's backend and "frontend" in one script: create a cash-in with the
// secret key, hand it over to the payer (a client token and the hosted checkout
// page), say how to pay it, then wait for the final status over graphql-ws.
// Typed by GraphQL Code Generator (`npm run example` runs `npm run codegen` first).
//
//   PAYGRAPH_URL=http://127.0.0.1:4000 PAYGRAPH_KEY=pg_sk_… npm run example
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CreateCashInDocument, CreateCheckoutDocument, WatchOrderDocument, CheckoutOrderFragmentDoc, type WatchOrderSubscription } from './gql/graphql.js';
import { getFragmentData } from './gql/fragment-masking.js';
import { receiveWebhooks } from './webhook-receiver.js';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

const url = process.env.PAYGRAPH_URL ?? 'http://127.0.0.1:4000';
const key = process.env.PAYGRAPH_KEY;
if (!key) {
  console.error('set PAYGRAPH_KEY to an API key: `npm start` prints one at its first start, `npm run merchant:create -- --sandbox` makes another');
  process.exit(64);
}

async function request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: print(document), variables }),
  }).catch((error: Error) => {
    throw new Error(`no paygraph server at ${url} (${error.message}): start one with \`npm start\`, or set PAYGRAPH_URL`);
  });
  const { data, errors } = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (errors?.length || !data) throw new Error(errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
  return data;
}

// The shop's backend learns of the order through signed webhooks as well (examples/webhook-receiver.ts).
const webhooks = await receiveWebhooks(url, key);

// The shop's backend: the order, with the secret key.
const created = (await request(CreateCashInDocument, { input: { amount: '150000', method: 'BANK', idempotencyKey: `example-${Date.now()}` } })).createCashIn;
if (created.__typename !== 'MutationCreateCashInSuccess') throw new Error(`${created.__typename}: ${created.message}`);
const order = getFragmentData(CheckoutOrderFragmentDoc, created.data);
const i = order.instructions;
console.log(`order ${order.id} (${order.requestId}): pay ${order.amount} đ to ${i?.bankCode} ${i?.accountNumber} (${i?.accountName}) with "${i?.transferContent}"`);

// The hand-over: the payer's browser gets a client token (this order only), never the key.
const checkout = (await request(CreateCheckoutDocument, { orderId: order.id })).createClientToken;
if (checkout.__typename !== 'MutationCreateClientTokenSuccess') throw new Error(`${checkout.__typename}: ${checkout.message}`);
console.log(`
To pay it:
  - open the checkout page, as the payer would: ${checkout.data.checkoutUrl}
    (a sandbox merchant's page has a "simulate payment" button)
  - or, in the sandbox, settle it as the payer's bank would (the sandbox URL is in the server's "paygraph is listening" log line):
    curl -s -X POST <sandbox url>/azconnectpay/_sandbox/settle -H 'content-type: application/json' \\
      -d '{"kind":"cash-in","request_id":"${order.requestId}","outcome":"succeed","callback":"once"}'

Waiting for the final status…`);

const client = createClient({ url: url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` } });
await new Promise<void>((resolve, reject) => {
  client.subscribe<WatchOrderSubscription>(
    { query: print(WatchOrderDocument), variables: { id: order.id } },
    {
      next: ({ data: update }) => {
        const status = update?.orderUpdated.status;
        console.log(`status: ${status}`);
        if (status && !['PENDING', 'PROCESSING'].includes(status)) resolve();
      },
      error: reject,
      complete: resolve,
    },
  );
});
await client.dispose();
// The webhook of that final status reaches the backend too (it may come before or after the subscription's).
await webhooks.untilFinal(order.id);
await webhooks.close();
