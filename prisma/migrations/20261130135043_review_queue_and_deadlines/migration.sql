-- CreateEnum
CREATE TYPE "ReviewReason" AS ENUM ('UNDERPAID', 'OVERPAID', 'LATE_PAYMENT', 'UNCONFIRMED_OUTCOME', 'PROVIDER_STATUS_UNKNOWN', 'CONTRADICTED', 'UNMATCHED_PAYMENT', 'DUPLICATE_PAYMENT');

-- AlterEnum
ALTER TYPE "CardChargeStatus" ADD VALUE 'NEEDS_REVIEW';

-- AlterTable
ALTER TABLE "BankTransaction" ADD COLUMN     "reviewNote" TEXT,
ADD COLUMN     "reviewOpenedAt" TIMESTAMP(3),
ADD COLUMN     "reviewReason" "ReviewReason",
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedBy" TEXT;

-- AlterTable
ALTER TABLE "CardCharge" ADD COLUMN     "deadlineAt" TIMESTAMP(3),
ADD COLUMN     "reviewOpenedAt" TIMESTAMP(3),
ADD COLUMN     "reviewReason" "ReviewReason";

-- AlterTable
-- (edited by hand: the free-text reason becomes the enum, keeping what was there)
ALTER TABLE "Order" ADD COLUMN     "deadlineAt" TIMESTAMP(3),
ADD COLUMN     "reviewOpenedAt" TIMESTAMP(3),
ALTER COLUMN "reviewReason" TYPE "ReviewReason" USING (
  CASE
    WHEN "reviewReason" IS NULL THEN NULL
    WHEN "reviewReason" IN ('UNDERPAID', 'OVERPAID') THEN "reviewReason"
    ELSE 'LATE_PAYMENT'
  END)::"ReviewReason";

-- Orders already waiting for a person enter the queue, and open orders get their deadline.
UPDATE "Order" SET "reviewOpenedAt" = "updatedAt" WHERE "status" = 'NEEDS_REVIEW';
UPDATE "Order" SET "deadlineAt" = "expiresAt" WHERE "status" IN ('PENDING', 'PROCESSING') AND "expiresAt" IS NOT NULL;

-- CreateIndex
CREATE INDEX "BankTransaction_merchantId_reviewOpenedAt_idx" ON "BankTransaction"("merchantId", "reviewOpenedAt");

-- CreateIndex
CREATE INDEX "CardCharge_merchantId_reviewOpenedAt_idx" ON "CardCharge"("merchantId", "reviewOpenedAt");

-- CreateIndex
CREATE INDEX "CardCharge_status_deadlineAt_idx" ON "CardCharge"("status", "deadlineAt");

-- CreateIndex
CREATE INDEX "Order_merchantId_reviewOpenedAt_idx" ON "Order"("merchantId", "reviewOpenedAt");

-- CreateIndex
CREATE INDEX "Order_status_deadlineAt_idx" ON "Order"("status", "deadlineAt");
