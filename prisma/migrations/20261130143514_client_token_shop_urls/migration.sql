-- AlterTable
ALTER TABLE "ClientToken" ADD COLUMN     "cancelUrl" TEXT,
ADD COLUMN     "returnUrl" TEXT;
