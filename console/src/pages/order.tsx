// One order: its summary, the payer's instructions, the timeline (each event
// with its cause, who caused it, the note and the raw provider payload), the
// bank lines that paid it, the providers routing tried; live through orderUpdated; refresh, cancel and a
// person's decision where they apply.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleOrderDetailFragment, ReviewOutcome } from '../gql/graphql.js';
import { request, unwrap } from '../api.js';
import { useQuery, useSubscription } from '../hooks.js';
import { translate as t, translateOr, type MessageKey } from '../i18n.js';
import { Link } from '../router.js';
import { Actor } from '../ui/actor.js';
import { announce } from '../ui/announce.js';
import { CopyButton } from '../ui/copy.js';
import { ResolveOrderDialog } from '../ui/decisions.js';
import { Dialog, describeError } from '../ui/dialog.js';
import { Money, StatusBadge, Time, channelName, kindName, reasonName, routeName } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';

const ATTEMPT_TONE: Record<string, string> = { ACCEPTED: 'ok', REFUSED: 'bad', NOT_SENT: 'muted', UNKNOWN: 'warn', SENDING: 'wait' };

graphql(`
  fragment ConsoleOrderDetail on Order {
    id status kind provider method gateway amount settledAmount fee currency description direction
    merchantReference requestId providerReference rawStatus reviewReason reviewOpenedAt
    expiresAt createdAt updatedAt completedAt
    instructions { bankCode bankName accountNumber accountName transferContent amount qrData payUrl deepLink phone expiresAt }
    payee { bankCode accountNumber accountName }
    events { id fromStatus toStatus cause actor note rawStatus payload createdAt }
    bankTransactions { id refNo amount transactionTime description matchNote }
    attempts { route provider requestId outcome errorName code message latencyMs startedAt finishedAt }
  }
`);

const OrderQuery = graphql(`
  query ConsoleOrder($id: ID!) {
    order(id: $id) { ...ConsoleOrderDetail }
  }
`);

const OrderLive = graphql(`
  subscription ConsoleOrderLive($id: ID!) {
    orderUpdated(id: $id) { ...ConsoleOrderDetail }
  }
`);

const RefreshOrder = graphql(`
  mutation ConsoleRefreshOrder($id: ID!) {
    refreshOrder(id: $id) {
      __typename
      ... on MutationRefreshOrderSuccess { data { ...ConsoleOrderDetail } }
      ... on Error { message }
    }
  }
`);

const CancelOrder = graphql(`
  mutation ConsoleCancelOrder($id: ID!) {
    cancelOrder(id: $id) {
      __typename
      ... on MutationCancelOrderSuccess { data { ...ConsoleOrderDetail } }
      ... on Error { message }
    }
  }
`);

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED']);

/**
 * Cancelling is offered where the API can do it today: a bank-transfer order
 * not yet paid (our own order; no provider documents a cancel — see cancelOrder).
 */
const canCancel = (order: ConsoleOrderDetailFragment) => order.kind === 'BANK_TRANSFER' && (order.status === 'PENDING' || order.status === 'PROCESSING');

const INSTRUCTION_FIELDS = ['bankName', 'accountNumber', 'accountName', 'transferContent', 'amount', 'payUrl', 'deepLink', 'phone', 'qrData'] as const;

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function OrderPage({ id }: { id: string }) {
  const query = useQuery(OrderQuery, { id });
  const [dialog, setDialog] = useState<'cancel' | ReviewOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  useSubscription(OrderLive, { id }, ({ orderUpdated }) => query.update(() => ({ order: orderUpdated })), Boolean(query.data?.order));

  if (query.error) return <Failed error={query.error} retry={query.reload} />;
  if (!query.data) return <Loading />;
  const order = query.data.order;
  if (!order) {
    return (
      <>
        <h1 tabIndex={-1}>{t('order.notFound')}</h1>
        <Link href="/orders">{t('order.back')}</Link>
      </>
    );
  }
  const replace = (next: ConsoleOrderDetailFragment) => query.update(() => ({ order: next }));
  const reference = order.merchantReference ?? order.requestId;
  const inReview = Boolean(order.reviewOpenedAt);

  async function refresh() {
    setBusy(true);
    try {
      replace(unwrap((await request(RefreshOrder, { id })).refreshOrder));
      announce(t('order.refreshed'));
    } catch (error) {
      announce(describeError(error), 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p class="breadcrumb">
        <Link href="/orders">← {t('order.back')}</Link>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('order.title', { ref: reference })}</h1>
        <StatusBadge status={order.status} />
      </div>
      <div class="actions">
        {!FINAL.has(order.status) && (
          <button type="button" class="button secondary" onClick={() => void refresh()} disabled={busy}>
            {t('order.refresh')}
          </button>
        )}
        {canCancel(order) && (
          <button type="button" class="button danger" onClick={() => setDialog('cancel')}>
            {t('order.cancel')}
          </button>
        )}
        {inReview && (
          <>
            <button type="button" class="button primary" onClick={() => setDialog('SUCCEEDED')}>
              {t('review.accept')}
            </button>
            {order.status !== 'SUCCEEDED' && (
              <button type="button" class="button danger" onClick={() => setDialog('FAILED')}>
                {t('review.refuse')}
              </button>
            )}
          </>
        )}
      </div>
      {inReview && order.reviewReason && (
        <p class="notice notice-warn">
          {t('order.reviewReason')}: <strong>{reasonName(order.reviewReason)}</strong> · <Time at={order.reviewOpenedAt} />
        </p>
      )}
      <div class="grid-2">
        <section class="card" aria-labelledby="summary">
          <h2 id="summary">{t('order.summary')}</h2>
          <dl class="facts">
            <Row label={t('common.amount')}>
              <Money amount={order.amount} />
            </Row>
            {order.settledAmount && (
              <Row label={t('order.settledAmount')}>
                <Money amount={order.settledAmount} />
              </Row>
            )}
            {order.fee && (
              <Row label={t('order.fee')}>
                <Money amount={order.fee} />
              </Row>
            )}
            <Row label={t('common.kind')}>{`${kindName(order.kind)} (${order.direction === 'IN' ? t('bank.in') : t('bank.out')})`}</Row>
            <Row label={t('common.provider')}>{channelName(order.provider, order.method, order.gateway)}</Row>
            <Row label={t('order.requestId')}>
              <span class="mono">{order.requestId}</span>
            </Row>
            {order.merchantReference && <Row label={t('order.merchantReference')}>{order.merchantReference}</Row>}
            {order.providerReference && (
              <Row label={t('order.providerReference')}>
                <span class="mono">{order.providerReference}</span>
              </Row>
            )}
            {order.rawStatus && (
              <Row label={t('order.rawStatus')}>
                <span class="mono">{order.rawStatus}</span>
              </Row>
            )}
            {order.description && <Row label={t('common.description')}>{order.description}</Row>}
            <Row label={t('common.created')}>
              <Time at={order.createdAt} seconds />
            </Row>
            {order.expiresAt && (
              <Row label={t('order.expiresAt')}>
                <Time at={order.expiresAt} />
              </Row>
            )}
            {order.completedAt && (
              <Row label={t('order.completedAt')}>
                <Time at={order.completedAt} seconds />
              </Row>
            )}
          </dl>
        </section>
        {(order.instructions || order.payee) && (
          <section class="card" aria-labelledby="instructions">
            <h2 id="instructions">{order.payee ? t('order.payee') : t('order.instructions')}</h2>
            <dl class="facts">
              {order.instructions &&
                INSTRUCTION_FIELDS.filter((field) => order.instructions?.[field]).map((field) => {
                  const value = order.instructions![field]!;
                  const label = t(`instructions.${field}` as MessageKey);
                  return (
                    <Row key={field} label={label}>
                      {field === 'amount' ? <Money amount={value} /> : <span class={field === 'qrData' ? 'mono wrap' : 'mono'}>{field === 'bankName' && order.instructions?.bankCode && order.instructions.bankCode !== value ? `${value} (${order.instructions.bankCode})` : value}</span>}{' '}
                      {(field === 'accountNumber' || field === 'transferContent') && <CopyButton value={value} label={label} />}
                    </Row>
                  );
                })}
              {order.payee && (
                <>
                  <Row label={t('instructions.bankName')}>{order.payee.bankCode}</Row>
                  <Row label={t('instructions.accountNumber')}>
                    <span class="mono">{order.payee.accountNumber}</span>
                  </Row>
                  <Row label={t('instructions.accountName')}>{order.payee.accountName}</Row>
                </>
              )}
            </dl>
          </section>
        )}
      </div>
      <section class="card" aria-labelledby="timeline">
        <h2 id="timeline">{t('order.timeline')}</h2>
        <ol class="timeline" id="order-timeline">
          {order.events.map((event) => (
            <li key={event.id} data-cause={event.cause}>
              <div class="timeline-head">
                <span>
                  {event.fromStatus ? <StatusBadge status={event.fromStatus} /> : null}
                  {event.fromStatus ? ' → ' : ''}
                  <StatusBadge status={event.toStatus} />
                </span>
                <span class="muted small">
                  <Time at={event.createdAt} seconds />
                </span>
              </div>
              <p class="small">
                <strong>{translateOr(`cause.${event.cause}`, event.cause)}</strong> · <Actor actor={event.actor} />
                {event.rawStatus && (
                  <>
                    {' · '}
                    <span class="mono">{event.rawStatus}</span>
                  </>
                )}
              </p>
              {event.note && <p class="note">{event.note}</p>}
              {event.payload != null && (
                <details>
                  <summary>{t('order.payload')}</summary>
                  <pre class="payload">{JSON.stringify(event.payload, null, 2)}</pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      </section>
      {order.attempts.length > 0 && (
        <section class="card" aria-labelledby="attempts">
          <h2 id="attempts">{t('order.attempts')}</h2>
          <p class="muted small">{t('order.attemptsLead')}</p>
          <table class="table responsive" id="order-attempts">
            <caption class="visually-hidden">{t('order.attempts')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('order.attemptRoute')}</th>
                <th scope="col">{t('order.attemptOutcome')}</th>
                <th scope="col">{t('order.attemptError')}</th>
                <th scope="col">{t('order.attemptTime')}</th>
                <th scope="col" class="num">
                  {t('order.attemptLatency')}
                </th>
              </tr>
            </thead>
            <tbody>
              {order.attempts.map((attempt) => (
                <tr key={attempt.requestId} data-attempt={attempt.route} data-outcome={attempt.outcome}>
                  <td data-label={t('order.attemptRoute')}>
                    <strong>{routeName(attempt.route)}</strong>
                    <div class="muted small mono">{attempt.requestId}</div>
                  </td>
                  <td data-label={t('order.attemptOutcome')}>
                    <span class={`badge badge-${ATTEMPT_TONE[attempt.outcome] ?? 'muted'}`}>{translateOr(`attempt.${attempt.outcome}`, attempt.outcome)}</span>
                  </td>
                  <td data-label={t('order.attemptError')} class="wrap">
                    {attempt.message || attempt.code || attempt.errorName ? (
                      <>
                        {attempt.message && <span>{attempt.message}</span>}
                        {(attempt.code || attempt.errorName) && <div class="muted small mono">{[attempt.errorName, attempt.code].filter(Boolean).join(' · ')}</div>}
                      </>
                    ) : (
                      t('common.none')
                    )}
                  </td>
                  <td data-label={t('order.attemptTime')}>
                    <Time at={attempt.startedAt} seconds />
                  </td>
                  <td data-label={t('order.attemptLatency')} class="num">
                    {attempt.latencyMs == null ? t('common.none') : t('providers.ms', { ms: attempt.latencyMs })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {order.bankTransactions.length > 0 && (
        <section class="card" aria-labelledby="lines">
          <h2 id="lines">{t('order.bankLines')}</h2>
          <ul class="plain">
            {order.bankTransactions.map((line) => (
              <li key={line.id}>
                <span class="mono">{line.refNo}</span> · <Money amount={line.amount} /> · <Time at={line.transactionTime} /> · {line.description}
                {line.matchNote && <div class="muted small">{line.matchNote}</div>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {dialog === 'cancel' && (
        <Dialog
          title={t('order.cancel')}
          action={t('order.cancel')}
          danger
          onClose={() => setDialog(null)}
          onSubmit={async () => {
            replace(unwrap((await request(CancelOrder, { id })).cancelOrder));
            announce(t('order.cancelled'));
          }}
        >
          <p>{t('order.cancelConfirm')}</p>
        </Dialog>
      )}
      {(dialog === 'SUCCEEDED' || dialog === 'FAILED') && <ResolveOrderDialog order={order} outcome={dialog} onClose={() => setDialog(null)} onDone={() => void query.reload()} />}
    </>
  );
}
