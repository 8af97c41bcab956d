// The callback-ingestion baseline: node:http and `pg` (a pool of 10, as
// paygraph's default) running, for each SharkPay callback, the same SQL
// statements paygraph's Prisma sends for one (captured with db.onQuery; the
// texts below are copied from that capture): find the order, read the
// provider account and the merchant (twice: verify, then the status pull),
// record in the inbox, read the status, update the order and insert its event
// in one transaction, mark the inbox row processed. No signature check, no
// status pull, no pub/sub: what is left is the database's own cost.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { benchOptions, serve } from './ipc.js';

const { databaseUrl } = benchOptions<{ databaseUrl: string }>();
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

const ORDER_COLUMNS = `"public"."Order"."id", "public"."Order"."merchantId", "public"."Order"."provider"::text, "public"."Order"."kind"::text, "public"."Order"."method", "public"."Order"."gateway", "public"."Order"."amount", "public"."Order"."fee", "public"."Order"."settledAmount", "public"."Order"."currency", "public"."Order"."merchantReference", "public"."Order"."requestId", "public"."Order"."providerReference", "public"."Order"."status"::text, "public"."Order"."rawStatus", "public"."Order"."reviewReason", "public"."Order"."description", "public"."Order"."instructions", "public"."Order"."payee", "public"."Order"."submitted", "public"."Order"."expiresAt", "public"."Order"."nextPollAt", "public"."Order"."createdAt", "public"."Order"."updatedAt", "public"."Order"."completedAt"`;
const FIND_ORDER = `SELECT ${ORDER_COLUMNS} FROM "public"."Order" WHERE ("public"."Order"."requestId" = $1 AND "public"."Order"."provider" = CAST($2::text AS "public"."ProviderId")) LIMIT $3 OFFSET $4`;
const PROVIDER_ACCOUNT = `SELECT "public"."ProviderAccount"."id", "public"."ProviderAccount"."merchantId", "public"."ProviderAccount"."provider"::text, "public"."ProviderAccount"."enabled", "public"."ProviderAccount"."settings", "public"."ProviderAccount"."sealedSecrets", "public"."ProviderAccount"."secretHints", "public"."ProviderAccount"."createdAt", "public"."ProviderAccount"."updatedAt" FROM "public"."ProviderAccount" WHERE (("public"."ProviderAccount"."merchantId" = $1 AND "public"."ProviderAccount"."provider" = CAST($2::text AS "public"."ProviderId")) AND 1=1) LIMIT $3 OFFSET $4`;
const MERCHANT = `SELECT "public"."Merchant"."id", "public"."Merchant"."sandbox" FROM "public"."Merchant" WHERE ("public"."Merchant"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`;
const INSERT_INBOX = `INSERT INTO "public"."CallbackInbox" ("id","provider","eventKey","merchantId","orderId","method","sourceIp","body","status","attempts","receivedAt") VALUES ($1,CAST($2::text AS "public"."ProviderId"),$3,$4,$5,$6,$7,$8,CAST($9::text AS "public"."InboxStatus"),$10,$11) RETURNING "public"."CallbackInbox"."id"`;
const ORDER_STATUS = `SELECT "public"."Order"."id", "public"."Order"."status"::text, "public"."Order"."merchantId" FROM "public"."Order" WHERE ("public"."Order"."id" = $1 AND 1=1) LIMIT $2 OFFSET $3`;
const UPDATE_ORDER = `UPDATE "public"."Order" SET "providerReference" = $1, "status" = CAST($2::text AS "public"."OrderStatus"), "rawStatus" = $3, "completedAt" = $4, "nextPollAt" = $5, "updatedAt" = $6 WHERE ("public"."Order"."id" = $7 AND "public"."Order"."status" = CAST($8::text AS "public"."OrderStatus"))`;
const INSERT_EVENT = `INSERT INTO "public"."OrderEvent" ("id","orderId","merchantId","fromStatus","toStatus","cause","actor","rawStatus","payload","createdAt") VALUES ($1,$2,$3,CAST($4::text AS "public"."OrderStatus"),CAST($5::text AS "public"."OrderStatus"),CAST($6::text AS "public"."EventCause"),$7,$8,$9,$10) RETURNING "public"."OrderEvent"."id"`;
const INBOX_PROCESSED = `UPDATE "public"."CallbackInbox" SET "status" = CAST($1::text AS "public"."InboxStatus"), "processedAt" = $2, "attempts" = $3 WHERE ("public"."CallbackInbox"."id" = $4 AND 1=1) RETURNING "public"."CallbackInbox"."id", "public"."CallbackInbox"."provider"::text, "public"."CallbackInbox"."eventKey", "public"."CallbackInbox"."merchantId", "public"."CallbackInbox"."orderId", "public"."CallbackInbox"."method", "public"."CallbackInbox"."sourceIp", "public"."CallbackInbox"."body", "public"."CallbackInbox"."status"::text, "public"."CallbackInbox"."attempts", "public"."CallbackInbox"."lastError", "public"."CallbackInbox"."nextAttemptAt", "public"."CallbackInbox"."receivedAt", "public"."CallbackInbox"."processedAt"`;

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function apply(body: string, sourceIp: string) {
  const fields = new URLSearchParams(body);
  const requestId = fields.get('mch_order_no');
  const orderNo = fields.get('order_no');
  const status = fields.get('status');
  const order = (await pool.query(FIND_ORDER, [requestId, 'APINGANHANG', 1, 0])).rows[0];
  if (!order) return 404;
  await pool.query(PROVIDER_ACCOUNT, [order.merchantId, 'APINGANHANG', 1, 0]);
  await pool.query(MERCHANT, [order.merchantId, 1, 0]);
  const inboxId = randomUUID();
  await pool.query(INSERT_INBOX, [inboxId, 'APINGANHANG', `sharkpay:${orderNo}:${status}`, order.merchantId, order.id, 'POST', sourceIp, body, 'RECEIVED', 0, new Date()]);
  await pool.query(PROVIDER_ACCOUNT, [order.merchantId, 'APINGANHANG', 1, 0]);
  await pool.query(MERCHANT, [order.merchantId, 1, 0]);
  const current = (await pool.query(ORDER_STATUS, [order.id, 1, 0])).rows[0];
  const client = await pool.connect();
  const now = new Date();
  try {
    await client.query('BEGIN');
    await client.query(UPDATE_ORDER, [orderNo, 'SUCCEEDED', status, now, null, now, order.id, current.status]);
    await client.query(INSERT_EVENT, [randomUUID(), order.id, order.merchantId, current.status, 'SUCCEEDED', 'CALLBACK', `callback:sharkpay@${sourceIp}`, status, JSON.stringify({ gateway: 'sharkpay', ...Object.fromEntries(fields) }), now]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await pool.query(INBOX_PROCESSED, ['PROCESSED', new Date(), 1, inboxId]);
  return 200;
}

const server = createServer((req, res) => {
  readBody(req)
    .then((body) => apply(body, (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')))
    .then(
      (status) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(status === 200 ? 'OK' : 'unknown order'),
      (error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serve(
    { url: `http://127.0.0.1:${port}` },
    {
      stop: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool.end();
      },
      counts: async () => {
        const { rows } = await pool.query(`SELECT status::text, count(*)::int AS n FROM "Order" GROUP BY status`);
        return Object.fromEntries(rows.map((r) => [r.status, r.n]));
      },
    },
  );
});
