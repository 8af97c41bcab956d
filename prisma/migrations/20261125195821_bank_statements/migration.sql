-- CreateEnum
CREATE TYPE "BankTransactionDirection" AS ENUM ('IN', 'OUT');

-- CreateEnum
CREATE TYPE "BankTransactionSource" AS ENUM ('POLL', 'WEBHOOK');

-- CreateTable
CREATE TABLE "BankAccount" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "bankCode" TEXT NOT NULL,
    "accountNumber" TEXT NOT NULL,
    "holderName" TEXT,
    "balance" BIGINT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BankAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankTransaction" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "bankAccountId" UUID,
    "bank" TEXT NOT NULL,
    "refNo" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "direction" "BankTransactionDirection" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "accountNumber" TEXT NOT NULL DEFAULT '',
    "balanceAfter" BIGINT,
    "transactionTime" TIMESTAMP(3) NOT NULL,
    "providerId" TEXT,
    "providerOrderCode" TEXT,
    "source" "BankTransactionSource" NOT NULL,
    "matchedOrderId" UUID,
    "matchNote" TEXT,
    "matchCheckedAt" TIMESTAMP(3),
    "matchLeaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankSyncCursor" (
    "merchantId" UUID NOT NULL,
    "lastSeenAt" TIMESTAMP(3),
    "lastSyncedAt" TIMESTAMP(3),
    "nextSyncAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BankSyncCursor_pkey" PRIMARY KEY ("merchantId")
);

-- CreateTable
CREATE TABLE "BankOtpChallenge" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "bankCode" TEXT NOT NULL,
    "loginId" TEXT NOT NULL,
    "accountNumber" TEXT NOT NULL,
    "sealedPassword" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankOtpChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BankAccount_merchantId_bankCode_accountNumber_idx" ON "BankAccount"("merchantId", "bankCode", "accountNumber");

-- CreateIndex
CREATE UNIQUE INDEX "BankAccount_merchantId_providerAccountId_key" ON "BankAccount"("merchantId", "providerAccountId");

-- CreateIndex
CREATE INDEX "BankTransaction_merchantId_transactionTime_id_idx" ON "BankTransaction"("merchantId", "transactionTime" DESC, "id");

-- CreateIndex
CREATE INDEX "BankTransaction_matchedOrderId_idx" ON "BankTransaction"("matchedOrderId");

-- CreateIndex
CREATE INDEX "BankTransaction_matchCheckedAt_matchLeaseUntil_idx" ON "BankTransaction"("matchCheckedAt", "matchLeaseUntil");

-- CreateIndex
CREATE UNIQUE INDEX "BankTransaction_merchantId_bank_refNo_key" ON "BankTransaction"("merchantId", "bank", "refNo");

-- CreateIndex
CREATE INDEX "BankOtpChallenge_merchantId_idx" ON "BankOtpChallenge"("merchantId");

-- CreateIndex
CREATE INDEX "BankOtpChallenge_expiresAt_idx" ON "BankOtpChallenge"("expiresAt");

-- AddForeignKey
ALTER TABLE "BankAccount" ADD CONSTRAINT "BankAccount_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankTransaction" ADD CONSTRAINT "BankTransaction_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankTransaction" ADD CONSTRAINT "BankTransaction_bankAccountId_fkey" FOREIGN KEY ("bankAccountId") REFERENCES "BankAccount"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankTransaction" ADD CONSTRAINT "BankTransaction_matchedOrderId_fkey" FOREIGN KEY ("matchedOrderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankSyncCursor" ADD CONSTRAINT "BankSyncCursor_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankOtpChallenge" ADD CONSTRAINT "BankOtpChallenge_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
