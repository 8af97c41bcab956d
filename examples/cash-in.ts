// A shop's backend and "frontend" in one script: create a cash-in with the
// secret key, print what the checkout shows, then wait for the final status
// over graphql-ws. Typed by GraphQL Code Generator (npm run codegen).
//
//   PAYGRAPH_URL=http://127.0.0.1:4000 PAYGRAPH_KEY=pg_sk_… npx tsx examples/cash-in.ts
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CreateCashInDocument, WatchOrderDocument, CheckoutOrderFragmentDoc, type CreateCashInMutation, type WatchOrderSubscription } from './gql/graphql.js';
import { getFragmentData } from './gql/fragment-masking.js';
import { receiveWebhooks } from './webhook-receiver.js';

const url = process.env.PAYGRAPH_URL ?? 'http://127.0.0.1:4000';
const key = process.env.PAYGRAPH_KEY;
if (!key) throw new Error('set PAYGRAPH_KEY to an API key (npm start prints one on first start)');

// The shop's backend learns of the order through signed webhooks as well (examples/webhook-receiver.ts).
const webhooks = await receiveWebhooks(url, key);

const response = await fetch(`${url}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  body: JSON.stringify({ query: print(CreateCashInDocument), variables: { input: { amount: '150000', method: 'BANK', idempotencyKey: `example-${Date.now()}` } } }),
});
const { data, errors } = (await response.json()) as { data?: CreateCashInMutation; errors?: unknown };
if (errors || !data) throw new Error(JSON.stringify(errors));
const result = data.createCashIn;
if (result.__typename !== 'MutationCreateCashInSuccess') throw new Error(`${result.__typename}: ${result.message}`);
const order = getFragmentData(CheckoutOrderFragmentDoc, result.data);
console.log(`order ${order.id}: pay ${order.amount} đ to ${order.instructions?.bankCode} ${order.instructions?.accountNumber} (${order.instructions?.accountName}) with "${order.instructions?.transferContent}"`);

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
