// A person's decisions on what waits for review — each in a dialog that asks
// for a note, each recorded by the API with this session's key as the actor,
// and listed in the session's log ("who did what") once done.
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ReviewOutcome } from '../gql/graphql.js';
import { request, unwrap } from '../api.js';
import { useQuery } from '../hooks.js';
import { formatMoney, translate as t } from '../i18n.js';
import { session } from '../session.js';
import { createStore } from '../store.js';
import { announce } from './announce.js';
import { Dialog } from './dialog.js';
import { Money, StatusBadge, Time } from './format.js';

const ResolveOrder = graphql(`
  mutation ConsoleResolveOrder($id: ID!, $outcome: ReviewOutcome!, $settledAmount: BigInt, $note: String!) {
    resolveOrder(id: $id, outcome: $outcome, settledAmount: $settledAmount, note: $note) {
      __typename
      ... on MutationResolveOrderSuccess { data { id status settledAmount reviewOpenedAt } }
      ... on Error { message }
      ... on ReviewRefusedError { code status }
      ... on ValidationError { field }
    }
  }
`);

const ResolveCardCharge = graphql(`
  mutation ConsoleResolveCardCharge($id: ID!, $outcome: ReviewOutcome!, $realValue: BigInt, $amountReceived: BigInt, $note: String!) {
    resolveCardCharge(id: $id, outcome: $outcome, realValue: $realValue, amountReceived: $amountReceived, note: $note) {
      __typename
      ... on MutationResolveCardChargeSuccess { data { id status amountReceived reviewOpenedAt } }
      ... on Error { message }
      ... on ReviewRefusedError { code status }
      ... on ValidationError { field }
    }
  }
`);

const MatchLine = graphql(`
  mutation ConsoleMatchBankTransaction($transactionId: ID!, $orderId: ID!, $note: String!) {
    matchBankTransaction(transactionId: $transactionId, orderId: $orderId, note: $note) {
      __typename
      ... on MutationMatchBankTransactionSuccess { data { id matched reviewedBy reviewedAt reviewNote matchedOrder { id status requestId } } }
      ... on Error { message }
      ... on ReviewRefusedError { code status }
      ... on ValidationError { field }
    }
  }
`);

const CloseLine = graphql(`
  mutation ConsoleCloseBankTransactionReview($transactionId: ID!, $note: String!) {
    closeBankTransactionReview(transactionId: $transactionId, note: $note) {
      __typename
      ... on MutationCloseBankTransactionReviewSuccess { data { id reviewedBy reviewedAt reviewNote } }
      ... on Error { message }
      ... on ReviewRefusedError { code status }
      ... on ValidationError { field }
    }
  }
`);

const Candidates = graphql(`
  query ConsoleMatchCandidates($reference: String) {
    orders(first: 20, filter: { kind: [BANK_TRANSFER], reference: $reference }) {
      edges { node { id status amount requestId merchantReference createdAt } }
    }
  }
`);

export interface Decision {
  at: string;
  who: string;
  what: string;
  note: string;
  /** Where to look at the result. */
  href?: string;
}

/** What this session decided, newest first. */
export const decisions = createStore<Decision[]>([]);

function record(what: string, note: string, href?: string) {
  const who = session.get()?.operator || 'console session';
  decisions.set([{ at: new Date().toISOString(), who, what, note, href }, ...decisions.get()]);
  announce(`${who} ${what}`);
}

/** Digits only ("150.000" → "150000"), or undefined when empty. */
const amountInput = (value: FormDataEntryValue | null) => {
  const digits = String(value ?? '').replace(/[.\s,₫]/g, '');
  return digits ? digits : undefined;
};

function AmountField({ name, label, defaultValue, required = false }: { name: string; label: string; defaultValue?: string | null; required?: boolean }) {
  return (
    <label class="field">
      <span>{label}</span>
      <input name={name} inputMode="numeric" pattern="[0-9. ]*" defaultValue={defaultValue ?? ''} required={required} autoComplete="off" />
    </label>
  );
}

export function ResolveOrderDialog({
  order,
  outcome,
  onClose,
  onDone,
}: {
  order: { id: string; requestId: string; amount: string; settledAmount?: string | null };
  outcome: ReviewOutcome;
  onClose(): void;
  onDone(): void;
}) {
  const [amount, setAmount] = useState<string | undefined>(order.settledAmount ?? order.amount);
  return (
    <Dialog
      title={`${t(outcome === 'SUCCEEDED' ? 'review.accept' : 'review.refuse')} — ${order.requestId}`}
      action={t('review.confirm')}
      danger={outcome === 'FAILED'}
      withNote
      onClose={onClose}
      onSubmit={async (note) => {
        const settledAmount = outcome === 'SUCCEEDED' && amount && amount !== order.amount ? amount : undefined;
        const result = unwrap((await request(ResolveOrder, { id: order.id, outcome, settledAmount, note })).resolveOrder);
        const subject = `${order.requestId} (${formatMoney(result.settledAmount ?? order.amount)})`;
        record(t(outcome === 'SUCCEEDED' ? 'review.done.accept' : 'review.done.refuse', { subject }), note, `/orders/${order.id}`);
        onDone();
      }}
    >
      <p>
        {t('review.expected')}: <Money amount={order.amount} />
        {order.settledAmount && (
          <>
            {' · '}
            {t('review.arrived')}: <Money amount={order.settledAmount} />
          </>
        )}
      </p>
      {outcome === 'SUCCEEDED' && (
        <label class="field">
          <span>{t('review.acceptedAmount')}</span>
          <input name="settledAmount" inputMode="numeric" value={amount ?? ''} onInput={(event) => setAmount(amountInput((event.currentTarget as HTMLInputElement).value))} autoComplete="off" />
        </label>
      )}
    </Dialog>
  );
}

export function ResolveCardDialog({
  charge,
  outcome,
  onClose,
  onDone,
}: {
  charge: { id: string; requestId: string; declaredValue: string; realValue?: string | null; amountReceived?: string | null };
  outcome: ReviewOutcome;
  onClose(): void;
  onDone(): void;
}) {
  return (
    <Dialog
      title={`${t(outcome === 'SUCCEEDED' ? 'review.accept' : 'review.refuse')} — ${charge.requestId}`}
      action={t('review.confirm')}
      danger={outcome === 'FAILED'}
      withNote
      onClose={onClose}
      onSubmit={async (note, data) => {
        const amountReceived = outcome === 'SUCCEEDED' ? amountInput(data.get('amountReceived')) : undefined;
        const realValue = outcome === 'SUCCEEDED' ? amountInput(data.get('realValue')) : undefined;
        unwrap((await request(ResolveCardCharge, { id: charge.id, outcome, amountReceived, realValue, note })).resolveCardCharge);
        record(t(outcome === 'SUCCEEDED' ? 'review.done.accept' : 'review.done.refuse', { subject: charge.requestId }), note);
        onDone();
      }}
    >
      <p>
        {t('review.declared')}: <Money amount={charge.declaredValue} />
      </p>
      {outcome === 'SUCCEEDED' && (
        <>
          <AmountField name="amountReceived" label={t('review.amountReceived')} defaultValue={charge.amountReceived} required />
          <AmountField name="realValue" label={t('review.realValueInput')} defaultValue={charge.realValue} />
        </>
      )}
    </Dialog>
  );
}

export function MatchLineDialog({ line, onClose, onDone }: { line: { id: string; refNo: string; amount: string; description: string }; onClose(): void; onDone(): void }) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<string>();
  const candidates = useQuery(Candidates, { reference: search || undefined });
  const orders = candidates.data?.orders.edges.map((edge) => edge.node) ?? [];
  // The likeliest first: the same amount, still waiting for money.
  const ranked = [...orders].sort((a, b) => Number(b.amount === line.amount) - Number(a.amount === line.amount));
  return (
    <Dialog
      title={`${t('review.match')} — ${line.refNo}`}
      action={t('review.confirm')}
      withNote
      onClose={onClose}
      onSubmit={async (note) => {
        if (!chosen) throw new Error(t('review.chooseOrder'));
        const result = unwrap((await request(MatchLine, { transactionId: line.id, orderId: chosen, note })).matchBankTransaction);
        record(t('review.done.match', { line: line.refNo, order: result.matchedOrder?.requestId ?? chosen }), note, `/orders/${chosen}`);
        onDone();
      }}
    >
      <p>
        <Money amount={line.amount} /> · <span class="mono">{line.description}</span>
      </p>
      <label class="field">
        <span>{t('review.findOrder')}</span>
        <input type="search" value={search} onInput={(event) => setSearch((event.currentTarget as HTMLInputElement).value.trim())} autoComplete="off" />
      </label>
      <fieldset class="candidates">
        <legend>{t('review.candidates')}</legend>
        {candidates.loading && !candidates.data && <p class="muted">{t('common.loading')}</p>}
        {candidates.data && ranked.length === 0 && <p class="muted">{t('review.noCandidates')}</p>}
        {ranked.map((order) => (
          <label key={order.id} class="candidate">
            <input type="radio" name="orderId" value={order.id} checked={chosen === order.id} onChange={() => setChosen(order.id)} />
            <span>
              <strong class="mono">{order.requestId}</strong> {order.merchantReference && <span class="muted">{order.merchantReference}</span>}
              <br />
              <Money amount={order.amount} /> {order.amount === line.amount && <span class="badge badge-ok">{t('review.sameAmount')}</span>} <StatusBadge status={order.status} />{' '}
              <span class="muted small">
                <Time at={order.createdAt} />
              </span>
            </span>
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}

export function CloseLineDialog({ line, onClose, onDone }: { line: { id: string; refNo: string; amount: string }; onClose(): void; onDone(): void }) {
  return (
    <Dialog
      title={`${t('review.closeLine')} — ${line.refNo}`}
      action={t('review.confirm')}
      withNote
      onClose={onClose}
      onSubmit={async (note) => {
        unwrap((await request(CloseLine, { transactionId: line.id, note })).closeBankTransactionReview);
        record(t('review.done.close', { line: line.refNo }), note, '/bank');
        onDone();
      }}
    >
      <p>
        <Money amount={line.amount} />
      </p>
    </Dialog>
  );
}
