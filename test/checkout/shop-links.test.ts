// The return and cancel pages a merchant gives with a client token: checked
// when the token is made (a typed error that creates nothing), and kept with it.
import { beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn } from '../support/orders.js';
import { ClientTokens } from '../../src/services/client-tokens.js';
import { ValidationError } from '../../src/errors/index.js';

const CREATE_TOKEN = `mutation($orderId: ID!, $returnUrl: String, $cancelUrl: String) {
  createClientToken(orderId: $orderId, returnUrl: $returnUrl, cancelUrl: $cancelUrl) {
    __typename
    ... on MutationCreateClientTokenSuccess { data { clientToken { returnUrl cancelUrl } } }
    ... on ValidationError { message field }
  }
}`;

describe('return and cancel pages of a client token', () => {
  const { t, merchant: shop } = useTestApp({}, ['Links shop']);
  let orderId: string;
  beforeAll(async () => {
    orderId = (await createCashIn(t.url, shop.apiKey, { amount: '150000', idempotencyKey: 'links-1' })).data.id;
  });

  it('are kept with the token, as the browser will open them', async () => {
    const response = await gql(t.url, CREATE_TOKEN, { orderId, returnUrl: 'https://Shop.example.vn/don-hang/HD-1?ok=1', cancelUrl: 'http://localhost:3000/gio-hang' }, shop.apiKey);
    expect(response.data.createClientToken).toEqual({
      __typename: 'MutationCreateClientTokenSuccess',
      data: { clientToken: { returnUrl: 'https://shop.example.vn/don-hang/HD-1?ok=1', cancelUrl: 'http://localhost:3000/gio-hang' } },
    });
  });

  it('refuse a page that is not https with a typed error naming the field, and create no token', async () => {
    const before = await t.app.db.prisma.clientToken.count({ where: { orderId } });
    for (const [variables, field] of [
      [{ returnUrl: 'javascript:alert(1)' }, 'returnUrl'],
      [{ cancelUrl: 'http://shop.example.vn/cart' }, 'cancelUrl'],
    ] as const) {
      const response = await gql(t.url, CREATE_TOKEN, { orderId, ...variables }, shop.apiKey);
      expect(response.data.createClientToken).toMatchObject({ __typename: 'ValidationError', field });
    }
    expect(await t.app.db.prisma.clientToken.count({ where: { orderId } })).toBe(before);
  });

  it('may be http to localhost only outside production', async () => {
    const productionTokens = new ClientTokens(t.app.db.prisma, t.app.pubsub.pubsub, { defaultTtlMinutes: 60, publicUrl: () => t.url, allowLoopbackHttp: false });
    await expect(productionTokens.create(shop.merchantId, orderId, {}, { returnUrl: 'http://localhost:3000/done' })).rejects.toEqual(new ValidationError('returnUrl: https', 'returnUrl'));
    const { record } = await productionTokens.create(shop.merchantId, orderId, {}, { returnUrl: 'https://shop.example.vn/done' });
    expect(record.returnUrl).toBe('https://shop.example.vn/done');
  });
});
