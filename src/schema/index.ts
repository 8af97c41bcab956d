// Imports every type file for its side effect, then builds the schema.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './merchant.js';
import './order.js';
import './order-create.js';
import './client-token.js';
import './card-charge.js';
import './provider-reads.js';
import './provider-account.js';
import './provider-operations.js';
import './bank-account.js';
import './bank-transaction.js';
import './review.js';
import './webhook.js';
import './event-feed.js';
import './dashboard.js';
import './payments.js';
import './routing.js';
import './payment-links.js';

export const schema = builder.toSchema();

/** The SDL committed as schema.graphql (sorted, so diffs show real changes only). */
export const printedSchema = () => printSchema(lexicographicSortSchema(schema)) + '\n';
