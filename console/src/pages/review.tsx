// The review queue, oldest first: each item with its reason, its amounts and
// how long it has waited, and the decisions a person can take on it. What this
// session decided is listed below, with the operator's name and note.
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleReviewQueueQuery, ReviewOutcome } from '../gql/graphql.js';
import { request } from '../api.js';
import { useQuery, useSubscription } from '../hooks.js';
import { formatAge, translate as t } from '../i18n.js';
import { Link } from '../router.js';
import { useStore } from '../store.js';
import { CloseLineDialog, MatchLineDialog, ResolveCardDialog, ResolveOrderDialog, decisions } from '../ui/decisions.js';
import { StatusBadge, Time, channelName, reasonName } from '../ui/format.js';
import { AmountItem } from '../ui/fields.js';
import { Failed, Loading } from '../ui/states.js';

const ReviewQueue = graphql(`
  query ConsoleReviewQueue($after: String) {
    reviewQueue(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          __typename id kind reason openedAt
          ... on OrderReview { expectedAmount settledAmount order { id status requestId merchantReference amount settledAmount provider method gateway } }
          ... on CardChargeReview { declaredValue realValue amountReceived cardCharge { id status requestId telco maskedSerial } }
          ... on TransactionReview { amount description transactionTime transaction { id refNo bank accountNumber } }
        }
      }
    }
  }
`);

const QueueChanges = graphql(`
  subscription ConsoleReviewChanges {
    orderEvents(filter: { status: [NEEDS_REVIEW, SUCCEEDED, FAILED] }) { id }
  }
`);

const NewLines = graphql(`
  subscription ConsoleReviewNewLines {
    transactionReceived { id }
  }
`);

type Item = ConsoleReviewQueueQuery['reviewQueue']['edges'][number]['node'];
type Open =
  | { kind: 'order'; item: Extract<Item, { __typename: 'OrderReview' }>; outcome: ReviewOutcome }
  | { kind: 'card'; item: Extract<Item, { __typename: 'CardChargeReview' }>; outcome: ReviewOutcome }
  | { kind: 'match' | 'close'; item: Extract<Item, { __typename: 'TransactionReview' }> };

export function Review() {
  const query = useQuery(ReviewQueue, {});
  const [open, setOpen] = useState<Open | null>(null);
  const [more, setMore] = useState<{ items: Item[]; cursor: string | null | undefined } | null>(null);
  const log = useStore(decisions);
  // Another person or the hub itself may change the queue meanwhile.
  const refresh = () => {
    if (!open) void query.reload();
  };
  useSubscription(QueueChanges, {}, refresh);
  useSubscription(NewLines, {}, refresh);

  const reload = () => {
    setMore(null);
    void query.reload();
  };
  const items = [...(query.data?.reviewQueue.edges.map((edge) => edge.node) ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : query.data?.reviewQueue.pageInfo.hasNextPage ? query.data.reviewQueue.pageInfo.endCursor : null;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>
          {t('review.title')} {query.data && <span class="count">{query.data.reviewQueue.totalCount}</span>}
        </h1>
      </div>
      <p class="muted">{t('review.lead')}</p>
      {query.error && <Failed error={query.error} retry={reload} />}
      {!query.data && !query.error && <Loading />}
      {query.data && items.length === 0 && <p class="notice">{t('review.empty')}</p>}
      <ul class="review-list">
        {items.map((item) => (
          <li key={item.id} class="card review-item" data-review-id={item.id} data-kind={item.kind}>
            <div class="review-head">
              <span class="badge badge-muted">{t(`kind.${item.kind}`)}</span>
              <strong class="reason">{reasonName(item.reason)}</strong>
              <span class="muted small" title={item.openedAt}>
                {t('review.waiting', { age: formatAge(item.openedAt) })}
              </span>
            </div>
            {item.__typename === 'OrderReview' && (
              <>
                <p>
                  <Link href={`/orders/${item.order.id}`}>{item.order.merchantReference ?? item.order.requestId}</Link> · {channelName(item.order.provider, item.order.method, item.order.gateway)} · <StatusBadge status={item.order.status} />
                </p>
                <dl class="amounts">
                  <AmountItem label={t('review.expected')} amount={item.expectedAmount} />
                  <AmountItem label={t('review.arrived')} amount={item.settledAmount} />
                </dl>
                <div class="actions">
                  <button type="button" class="button primary" onClick={() => setOpen({ kind: 'order', item, outcome: 'SUCCEEDED' })}>
                    {t('review.accept')}
                  </button>
                  {item.order.status !== 'SUCCEEDED' && (
                    <button type="button" class="button danger" onClick={() => setOpen({ kind: 'order', item, outcome: 'FAILED' })}>
                      {t('review.refuse')}
                    </button>
                  )}
                </div>
              </>
            )}
            {item.__typename === 'CardChargeReview' && (
              <>
                <p>
                  {item.cardCharge.telco} · <span class="mono">{item.cardCharge.requestId}</span> · {item.cardCharge.maskedSerial} · <StatusBadge status={item.cardCharge.status} />
                </p>
                <dl class="amounts">
                  <AmountItem label={t('review.declared')} amount={item.declaredValue} />
                  <AmountItem label={t('review.realValue')} amount={item.realValue} />
                  <AmountItem label={t('review.received')} amount={item.amountReceived} />
                </dl>
                <div class="actions">
                  <button type="button" class="button primary" onClick={() => setOpen({ kind: 'card', item, outcome: 'SUCCEEDED' })}>
                    {t('review.accept')}
                  </button>
                  {item.cardCharge.status !== 'SUCCEEDED' && (
                    <button type="button" class="button danger" onClick={() => setOpen({ kind: 'card', item, outcome: 'FAILED' })}>
                      {t('review.refuse')}
                    </button>
                  )}
                </div>
              </>
            )}
            {item.__typename === 'TransactionReview' && (
              <>
                <p>
                  {t('review.line')} <span class="mono">{item.transaction.refNo}</span> · {item.transaction.bank} {item.transaction.accountNumber} · <Time at={item.transactionTime} />
                </p>
                <p class="mono wrap">{item.description}</p>
                <dl class="amounts">
                  <AmountItem label={t('common.amount')} amount={item.amount} />
                </dl>
                <div class="actions">
                  <button type="button" class="button primary" onClick={() => setOpen({ kind: 'match', item })}>
                    {t('review.match')}
                  </button>
                  <button type="button" class="button secondary" onClick={() => setOpen({ kind: 'close', item })}>
                    {t('review.closeLine')}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {cursor && (
        <button
          type="button"
          class="button secondary"
          onClick={async () => {
            const data = await request(ReviewQueue, { after: cursor });
            setMore((previous) => ({ items: [...(previous?.items ?? []), ...data.reviewQueue.edges.map((edge) => edge.node)], cursor: data.reviewQueue.pageInfo.hasNextPage ? data.reviewQueue.pageInfo.endCursor : null }));
          }}
        >
          {t('common.more')}
        </button>
      )}
      {log.length > 0 && (
        <section class="card" aria-labelledby="decided">
          <h2 id="decided">{t('review.doneTitle')}</h2>
          <ol class="decisions" id="decisions">
            {log.map((decision) => (
              <li key={decision.at + decision.what}>
                <span class="muted small">
                  <Time at={decision.at} seconds />
                </span>{' '}
                <strong>{decision.who}</strong> {decision.what}
                {decision.href && (
                  <>
                    {' '}
                    <Link href={decision.href}>{t('review.openSubject')}</Link>
                  </>
                )}
                <div class="note">“{decision.note}”</div>
              </li>
            ))}
          </ol>
        </section>
      )}
      {open?.kind === 'order' && (
        <ResolveOrderDialog
          order={{ id: open.item.order.id, requestId: open.item.order.requestId, amount: open.item.expectedAmount, settledAmount: open.item.settledAmount }}
          outcome={open.outcome}
          onClose={() => setOpen(null)}
          onDone={reload}
        />
      )}
      {open?.kind === 'card' && (
        <ResolveCardDialog
          charge={{ id: open.item.cardCharge.id, requestId: open.item.cardCharge.requestId, declaredValue: open.item.declaredValue, realValue: open.item.realValue, amountReceived: open.item.amountReceived }}
          outcome={open.outcome}
          onClose={() => setOpen(null)}
          onDone={reload}
        />
      )}
      {open?.kind === 'match' && <MatchLineDialog line={{ id: open.item.id, refNo: open.item.transaction.refNo, amount: open.item.amount, description: open.item.description }} onClose={() => setOpen(null)} onDone={reload} />}
      {open?.kind === 'close' && <CloseLineDialog line={{ id: open.item.id, refNo: open.item.transaction.refNo, amount: open.item.amount }} onClose={() => setOpen(null)} onDone={reload} />}
    </>
  );
}
