-- Cached GraphQL answers (src/http/response-cache.ts) are never served again once what they show has changed:
-- every committed write to an order, its events or attempts, a card charge or its events, or a bank line
-- announces its merchant on "paygraph_cache", and the cache moves that merchant's epoch. NOTIFY is delivered at
-- commit, so this covers every writer, including ones that publish nothing on the pubsub and hand edits.
-- Bookkeeping alone (the next poll time, leases, the "submitted" flag, the feed's own marks, and updatedAt that
-- Prisma moves with them) changes nothing a client sees, and does not count.
-- Added by hand: Prisma does not manage triggers. The function bodies spell their semicolons as the octal
-- escape 073 because the migration runner splits on them.
CREATE FUNCTION "paygraph_cache_notify"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM pg_notify(''paygraph_cache'', NEW."merchantId"::text)\073 RETURN NULL\073 END';

CREATE FUNCTION "paygraph_cache_notify_attempt"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM pg_notify(''paygraph_cache'', (SELECT "merchantId"::text FROM "Order" WHERE id = NEW."orderId"))\073 RETURN NULL\073 END';

CREATE FUNCTION "paygraph_cache_notify_card_event"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM pg_notify(''paygraph_cache'', (SELECT "merchantId"::text FROM "CardCharge" WHERE id = NEW."cardChargeId"))\073 RETURN NULL\073 END';

CREATE TRIGGER "Order_cache_insert" AFTER INSERT ON "Order" FOR EACH ROW EXECUTE FUNCTION "paygraph_cache_notify"();

CREATE TRIGGER "Order_cache_update" AFTER UPDATE ON "Order" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['nextPollAt', 'deadlineAt', 'submitted', 'feedReviewOpenedAt', 'updatedAt']) IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['nextPollAt', 'deadlineAt', 'submitted', 'feedReviewOpenedAt', 'updatedAt']))
  EXECUTE FUNCTION "paygraph_cache_notify"();

CREATE TRIGGER "OrderEvent_cache" AFTER INSERT OR UPDATE ON "OrderEvent" FOR EACH ROW EXECUTE FUNCTION "paygraph_cache_notify"();

CREATE TRIGGER "OrderAttempt_cache" AFTER INSERT OR UPDATE ON "OrderAttempt" FOR EACH ROW EXECUTE FUNCTION "paygraph_cache_notify_attempt"();

CREATE TRIGGER "CardCharge_cache_insert" AFTER INSERT ON "CardCharge" FOR EACH ROW EXECUTE FUNCTION "paygraph_cache_notify"();

CREATE TRIGGER "CardCharge_cache_update" AFTER UPDATE ON "CardCharge" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['nextPollAt', 'deadlineAt', 'submitted', 'feedReviewOpenedAt', 'updatedAt']) IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['nextPollAt', 'deadlineAt', 'submitted', 'feedReviewOpenedAt', 'updatedAt']))
  EXECUTE FUNCTION "paygraph_cache_notify"();

CREATE TRIGGER "CardChargeEvent_cache" AFTER INSERT OR UPDATE ON "CardChargeEvent" FOR EACH ROW EXECUTE FUNCTION "paygraph_cache_notify_card_event"();

CREATE TRIGGER "BankTransaction_cache_insert" AFTER INSERT ON "BankTransaction" FOR EACH ROW EXECUTE FUNCTION "paygraph_cache_notify"();

CREATE TRIGGER "BankTransaction_cache_update" AFTER UPDATE ON "BankTransaction" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['matchLeaseUntil', 'matchCheckedAt', 'feedReviewOpenedAt']) IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['matchLeaseUntil', 'matchCheckedAt', 'feedReviewOpenedAt']))
  EXECUTE FUNCTION "paygraph_cache_notify"();
