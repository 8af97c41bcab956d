-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "paymentMethod" TEXT;

-- CreateTable
CREATE TABLE "RoutingRule" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "route" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "minAmount" BIGINT,
    "maxAmount" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderAttempt" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "route" TEXT NOT NULL,
    "provider" "ProviderId" NOT NULL,
    "requestId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "errorName" TEXT,
    "code" TEXT,
    "message" TEXT,
    "latencyMs" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OrderAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoutingRule_merchantId_direction_method_position_idx" ON "RoutingRule"("merchantId", "direction", "method", "position");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingRule_merchantId_direction_method_route_key" ON "RoutingRule"("merchantId", "direction", "method", "route");

-- CreateIndex
CREATE INDEX "OrderAttempt_requestId_idx" ON "OrderAttempt"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderAttempt_orderId_route_key" ON "OrderAttempt"("orderId", "route");

-- AddForeignKey
ALTER TABLE "RoutingRule" ADD CONSTRAINT "RoutingRule_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderAttempt" ADD CONSTRAINT "OrderAttempt_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
