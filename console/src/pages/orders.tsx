// Orders, newest first, with filters in the address (a filtered list can be
// shared), kept live by the orderEvents subscription: a changed order updates
// in place, a new one appears at the top, one that no longer matches leaves.
import { useMemo, useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleOrderRowFragment, OrderFilter, OrderKind, OrderStatus, Provider } from '../gql/graphql.js';
import { request } from '../api.js';
import { useQuery, useSubscription } from '../hooks.js';
import { translate as t } from '../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../router.js';
import { Money, StatusBadge, Time, channelName, kindName } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';
import { FilterSelect } from '../ui/fields.js';

graphql(`
  fragment ConsoleOrderRow on Order {
    id status kind provider method gateway amount settledAmount merchantReference requestId createdAt updatedAt reviewReason
  }
`);

const OrdersQuery = graphql(`
  query ConsoleOrders($filter: OrderFilter, $after: String) {
    eventFeedHead
    orders(first: 50, after: $after, filter: $filter) {
      edges { node { ...ConsoleOrderRow } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const OrderFeed = graphql(`
  subscription ConsoleOrderFeed($filter: OrderEventFilter, $after: String) {
    orderEvents(filter: $filter, after: $after) { id toStatus order { ...ConsoleOrderRow } }
  }
`);

export const STATUSES: OrderStatus[] = ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'NEEDS_REVIEW'];
export const PROVIDERS: Provider[] = ['AZCONNECTPAY', 'APINGANHANG', 'VNKASH', 'CARD'];
const KINDS: OrderKind[] = ['CASH_IN', 'CASH_OUT', 'HUB_PAYIN', 'HUB_PAYOUT', 'DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'BANK_TRANSFER'];

const startOfVietnamDay = (date: string, plusDays = 0) => new Date(new Date(`${date}T00:00:00+07:00`).getTime() + plusDays * 86_400_000).toISOString();

interface Filters {
  status: string;
  provider: string;
  kind: string;
  q: string;
  from: string;
  to: string;
}

function filterOf(filters: Filters): OrderFilter {
  return {
    ...(filters.status ? { status: [filters.status as OrderStatus] } : {}),
    ...(filters.provider ? { provider: [filters.provider as Provider] } : {}),
    ...(filters.kind ? { kind: [filters.kind as OrderKind] } : {}),
    ...(filters.q ? { reference: filters.q } : {}),
    ...(filters.from ? { createdAfter: startOfVietnamDay(filters.from) } : {}),
    ...(filters.to ? { createdBefore: startOfVietnamDay(filters.to, 1) } : {}),
  };
}

/** Whether a changed order belongs in the list as filtered (the server's rules, applied to one order). */
function matches(order: ConsoleOrderRowFragment, filter: OrderFilter): boolean {
  if (filter.status && !filter.status.includes(order.status)) return false;
  if (filter.provider && !filter.provider.includes(order.provider)) return false;
  if (filter.kind && !filter.kind.includes(order.kind)) return false;
  if (filter.createdAfter && order.createdAt < filter.createdAfter) return false;
  if (filter.createdBefore && order.createdAt >= filter.createdBefore) return false;
  if (filter.reference) {
    const reference = filter.reference.toLowerCase();
    if (!(order.merchantReference ?? '').toLowerCase().includes(reference) && order.requestId !== filter.reference) return false;
  }
  return true;
}

export function Orders() {
  const location = useLocation();
  const filters: Filters = {
    status: location.query.get('status') ?? '',
    provider: location.query.get('provider') ?? '',
    kind: location.query.get('kind') ?? '',
    q: location.query.get('q') ?? '',
    from: location.query.get('from') ?? '',
    to: location.query.get('to') ?? '',
  };
  const filter = useMemo(() => filterOf(filters), [location.query.toString()]);
  const query = useQuery(OrdersQuery, { filter });
  const [extra, setExtra] = useState<{ orders: ConsoleOrderRowFragment[]; cursor: string | null | undefined } | null>(null);
  const [changed, setChanged] = useState<Record<string, string>>({});

  // From the feed's head as read with the list: new orders (their creation is in the feed) and every change after it, without a gap.
  const head = query.data?.eventFeedHead;
  const feedFilter = { ...(filter.provider ? { provider: filter.provider } : {}), ...(filter.kind ? { kind: filter.kind } : {}) };
  useSubscription(OrderFeed, { filter: feedFilter, after: head }, ({ orderEvents }) => {
    const order = orderEvents.order;
    query.update((data) => {
      const edges = data.orders.edges.filter((edge) => edge.node.id !== order.id);
      const index = data.orders.edges.findIndex((edge) => edge.node.id === order.id);
      if (!matches(order, filter)) return { ...data, orders: { ...data.orders, edges } };
      if (index >= 0) edges.splice(index, 0, { node: order });
      else edges.unshift({ node: order });
      return { ...data, orders: { ...data.orders, edges } };
    });
    setChanged((previous) => ({ ...previous, [order.id]: order.updatedAt }));
  }, head !== undefined);

  function apply(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    setExtra(null);
    navigate(withQuery({ path: '/orders', query: new URLSearchParams() }, { status: value('status'), provider: value('provider'), kind: value('kind'), q: value('q'), from: value('from'), to: value('to') }), { replace: true });
  }

  async function more(cursor: string | null | undefined) {
    const data = await request(OrdersQuery, { filter, after: cursor });
    setExtra((previous) => ({ orders: [...(previous?.orders ?? []), ...data.orders.edges.map((edge) => edge.node)], cursor: data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null }));
  }

  const orders = [...(query.data?.orders.edges.map((edge) => edge.node) ?? []), ...(extra?.orders ?? [])];
  const nextCursor = extra ? extra.cursor : query.data?.orders.pageInfo.hasNextPage ? query.data.orders.pageInfo.endCursor : null;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('orders.title')}</h1>
        <p class="muted small">{t('orders.liveHint')}</p>
      </div>
      <form class="filters card" onSubmit={apply} aria-label={t('orders.filters')} key={location.query.toString()}>
        <label class="field">
          <span>{t('orders.search')}</span>
          <input name="q" type="search" defaultValue={filters.q} maxLength={200} />
        </label>
        <FilterSelect name="status" label={t('common.status')} value={filters.status} options={STATUSES.map((status) => [status, t(`status.${status}`)])} />
        <FilterSelect name="provider" label={t('common.provider')} value={filters.provider} options={PROVIDERS.filter((p) => p !== 'CARD').map((provider) => [provider, t(`provider.${provider}`)])} />
        <FilterSelect name="kind" label={t('common.kind')} value={filters.kind} options={KINDS.map((kind) => [kind, kindName(kind)])} />
        <label class="field">
          <span>{t('orders.createdFrom')}</span>
          <input name="from" type="date" defaultValue={filters.from} />
        </label>
        <label class="field">
          <span>{t('orders.createdTo')}</span>
          <input name="to" type="date" defaultValue={filters.to} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="button primary">
            {t('common.apply')}
          </button>
          <button type="button" class="button secondary" onClick={() => navigate('/orders', { replace: true })}>
            {t('common.clear')}
          </button>
        </div>
      </form>
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {query.data && orders.length === 0 && <p class="muted">{t('orders.empty')}</p>}
      {orders.length > 0 && (
        <table class="table responsive" id="orders">
          <caption class="visually-hidden">{t('orders.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common.created')}</th>
              <th scope="col">{t('common.reference')}</th>
              <th scope="col">{t('common.provider')}</th>
              <th scope="col" class="num">
                {t('common.amount')}
              </th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={`${order.id}:${changed[order.id] ?? ''}`} data-order-id={order.id} class={changed[order.id] ? 'flash' : undefined}>
                <td data-label={t('common.created')}>
                  <Time at={order.createdAt} />
                </td>
                <td data-label={t('common.reference')}>
                  <Link href={`/orders/${order.id}`}>{order.merchantReference ?? order.requestId}</Link>
                  <div class="muted small">{kindName(order.kind)}</div>
                </td>
                <td data-label={t('common.provider')}>{channelName(order.provider, order.method, order.gateway)}</td>
                <td data-label={t('common.amount')} class="num">
                  <Money amount={order.amount} />
                  {order.settledAmount && order.settledAmount !== order.amount && (
                    <div class="muted small">
                      → <Money amount={order.settledAmount} />
                    </div>
                  )}
                </td>
                <td data-label={t('common.status')} class="status-cell">
                  <StatusBadge status={order.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" class="button secondary" onClick={() => void more(nextCursor)}>
          {t('common.more')}
        </button>
      )}
    </>
  );
}
