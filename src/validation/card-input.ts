// What a client may send to submit a telco card, checked at the edge
// (schema/card-charge.ts). The telco, code and serial are checked against the
// merchant's card rules by the service, which knows them (providers/card).
import { z } from 'zod';
import { idempotencyKey } from './order-input.js';

export const submitCardChargeCommand = z.object({
  idempotencyKey,
  declaredValue: z.bigint().refine((value) => value > 0n, 'declaredValue must be a positive whole number of đồng'),
  telco: z.string(),
  code: z.string(),
  serial: z.string(),
});
