// The order services' connectors, with every create and status query recorded
// in the account's health (provider-health.ts observe: recorded, never blocked).
import type { OrderConnector, ProviderId } from '../../providers/types.js';
import type { ConnectorSource } from '../orders.js';
import type { ProviderHealth } from './provider-health.js';

export function healthTrackedConnectors(source: ConnectorSource, health: ProviderHealth): ConnectorSource {
  return {
    async orderConnector(merchantId: string, provider: ProviderId): Promise<OrderConnector> {
      const connector = await source.orderConnector(merchantId, provider);
      // The connector stays the prototype: everything else it offers (bank lists, clients) is untouched.
      return Object.assign(Object.create(connector) as OrderConnector, {
        create: (input: Parameters<OrderConnector['create']>[0]) => health.observe(merchantId, provider, 'create', () => connector.create(input)),
        queryStatus: (order: Parameters<OrderConnector['queryStatus']>[0]) => health.observe(merchantId, provider, 'status', () => connector.queryStatus(order)),
      });
    },
  };
}
