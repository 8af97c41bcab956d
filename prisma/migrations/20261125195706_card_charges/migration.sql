-- CreateEnum
CREATE TYPE "CardChargeStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "CardCharge" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "telco" TEXT NOT NULL,
    "declaredValue" BIGINT NOT NULL,
    "realValue" BIGINT,
    "amountReceived" BIGINT,
    "status" "CardChargeStatus" NOT NULL DEFAULT 'PENDING',
    "valueMismatch" BOOLEAN NOT NULL DEFAULT false,
    "providerStatus" INTEGER,
    "providerMessage" TEXT,
    "requestId" TEXT NOT NULL,
    "transId" TEXT,
    "sealedCard" TEXT NOT NULL,
    "maskedCode" TEXT NOT NULL,
    "maskedSerial" TEXT NOT NULL,
    "submitted" BOOLEAN NOT NULL DEFAULT false,
    "nextPollAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "CardCharge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardChargeEvent" (
    "id" UUID NOT NULL,
    "cardChargeId" UUID NOT NULL,
    "fromStatus" "CardChargeStatus",
    "toStatus" "CardChargeStatus" NOT NULL,
    "cause" "EventCause" NOT NULL,
    "actor" TEXT NOT NULL,
    "providerStatus" INTEGER,
    "payload" JSONB,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardChargeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CardCharge_requestId_key" ON "CardCharge"("requestId");

-- CreateIndex
CREATE INDEX "CardCharge_merchantId_createdAt_id_idx" ON "CardCharge"("merchantId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "CardCharge_status_nextPollAt_idx" ON "CardCharge"("status", "nextPollAt");

-- CreateIndex
CREATE INDEX "CardChargeEvent_cardChargeId_createdAt_idx" ON "CardChargeEvent"("cardChargeId", "createdAt");

-- AddForeignKey
ALTER TABLE "CardCharge" ADD CONSTRAINT "CardCharge_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardChargeEvent" ADD CONSTRAINT "CardChargeEvent_cardChargeId_fkey" FOREIGN KEY ("cardChargeId") REFERENCES "CardCharge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
