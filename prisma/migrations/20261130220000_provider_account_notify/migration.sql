-- Provider accounts read by an instance are kept while it hears their changes (src/services/provider-accounts.ts):
-- every committed write to a provider account, and to a merchant (its sandbox flag decides the simulator's part),
-- announces the merchant on "paygraph_accounts", whoever wrote it: the service, another instance, the CLI, a hand edit.
-- Added by hand: Prisma does not manage triggers. The function bodies spell their semicolons as the octal
-- escape 073 because the migration runner splits on them.
CREATE FUNCTION "paygraph_accounts_notify"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM pg_notify(''paygraph_accounts'', COALESCE(NEW."merchantId", OLD."merchantId")::text)\073 RETURN NULL\073 END';

CREATE FUNCTION "paygraph_accounts_notify_merchant"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN PERFORM pg_notify(''paygraph_accounts'', COALESCE(NEW.id, OLD.id)::text)\073 RETURN NULL\073 END';

CREATE TRIGGER "ProviderAccount_accounts" AFTER INSERT OR UPDATE OR DELETE ON "ProviderAccount" FOR EACH ROW EXECUTE FUNCTION "paygraph_accounts_notify"();

CREATE TRIGGER "Merchant_accounts" AFTER UPDATE OR DELETE ON "Merchant" FOR EACH ROW EXECUTE FUNCTION "paygraph_accounts_notify_merchant"();
