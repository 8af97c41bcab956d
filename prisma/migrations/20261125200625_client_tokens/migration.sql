-- CreateTable
CREATE TABLE "ClientToken" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClientToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClientToken_secretHash_key" ON "ClientToken"("secretHash");

-- CreateIndex
CREATE INDEX "ClientToken_orderId_idx" ON "ClientToken"("orderId");

-- CreateIndex
CREATE INDEX "ClientToken_merchantId_createdAt_idx" ON "ClientToken"("merchantId", "createdAt");

-- AddForeignKey
ALTER TABLE "ClientToken" ADD CONSTRAINT "ClientToken_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientToken" ADD CONSTRAINT "ClientToken_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
