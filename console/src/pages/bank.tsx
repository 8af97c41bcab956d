// The bank side: linked accounts, and the imported statement with what each
// line paid (or that it waits for a person), filtered, exported as CSV, and
// refreshed as new lines arrive.
import { graphql } from '../gql/index.js';
import type { BankTransactionDirection, TransactionFilter } from '../gql/graphql.js';
import { request, unwrap } from '../api.js';
import { useQuery, useSubscription } from '../hooks.js';
import { formatMoney, translate as t } from '../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../router.js';
import { Actor } from '../ui/actor.js';
import { announce } from '../ui/announce.js';
import { describeError } from '../ui/dialog.js';
import { Money, StatusBadge, Time, reasonName } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';
import { FilterSelect } from '../ui/fields.js';

const Accounts = graphql(`
  query ConsoleBankAccounts {
    bankAccounts {
      __typename
      ... on QueryBankAccountsSuccess { data { id bankCode accountNumber holderName balance active lastSyncedAt } }
      ... on Error { message }
    }
  }
`);

const Statement = graphql(`
  query ConsoleStatement($filter: TransactionFilter, $after: String) {
    transactions(first: 50, after: $after, filter: $filter) {
      totals { count totalIn totalOut net }
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id bank accountNumber amount direction refNo description transactionTime matched matchNote
          reviewReason reviewOpenedAt reviewedBy reviewedAt reviewNote
          matchedOrder { id requestId status }
        }
      }
    }
  }
`);

const StatementCsv = graphql(`
  query ConsoleStatementCsv($filter: TransactionFilter) {
    transactionsCsv(filter: $filter)
  }
`);

const SyncStatement = graphql(`
  mutation ConsoleSyncStatement {
    syncBankStatement {
      __typename
      ... on MutationSyncBankStatementSuccess { data { fetched imported settled } }
      ... on Error { message }
    }
  }
`);

const NewLines = graphql(`
  subscription ConsoleNewStatementLines {
    transactionReceived { id }
  }
`);

export function Bank() {
  const location = useLocation();
  const q = (name: string) => location.query.get(name) ?? '';
  const filter: TransactionFilter = {
    ...(q('account') ? { accountId: q('account') } : {}),
    ...(q('matched') ? { matched: q('matched') === 'true' } : {}),
    ...(q('direction') ? { direction: q('direction') as BankTransactionDirection } : {}),
    ...(q('search') ? { search: q('search') } : {}),
  };
  const accounts = useQuery(Accounts, {});
  const statement = useQuery(Statement, { filter });
  useSubscription(NewLines, {}, () => void statement.reload());

  const accountList = accounts.data?.bankAccounts.__typename === 'QueryBankAccountsSuccess' ? accounts.data.bankAccounts.data : [];
  const accountsError = accounts.data && accounts.data.bankAccounts.__typename !== 'QueryBankAccountsSuccess' ? (accounts.data.bankAccounts as { message?: string }).message : undefined;

  async function sync() {
    try {
      const result = unwrap((await request(SyncStatement, {})).syncBankStatement);
      announce(t('bank.synced', { count: result.imported }));
      void statement.reload();
      void accounts.reload();
    } catch (error) {
      announce(describeError(error), 'error');
    }
  }

  async function exportCsv() {
    try {
      const { transactionsCsv } = await request(StatementCsv, { filter });
      const url = URL.createObjectURL(new Blob([transactionsCsv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `statement-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      announce(describeError(error), 'error');
    }
  }

  function apply(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    navigate(withQuery({ path: '/bank', query: new URLSearchParams() }, { account: value('account'), matched: value('matched'), direction: value('direction'), search: value('search') }), { replace: true });
  }

  const lines = statement.data?.transactions.edges.map((edge) => edge.node) ?? [];
  const totals = statement.data?.transactions.totals;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('bank.title')}</h1>
        <button type="button" class="button secondary" onClick={() => void sync()}>
          {t('bank.sync')}
        </button>
      </div>
      <section class="card" aria-labelledby="accounts">
        <h2 id="accounts">{t('bank.accounts')}</h2>
        {accounts.error && <Failed error={accounts.error} retry={accounts.reload} />}
        {accountsError && <p class="notice notice-warn">{accountsError}</p>}
        {accounts.loading && !accounts.data && <Loading />}
        {accounts.data && !accountsError && accountList.length === 0 && <p class="muted">{t('bank.noAccounts')}</p>}
        <ul class="account-list">
          {accountList.map((account) => (
            <li key={account.id}>
              <strong>{account.bankCode}</strong> <span class="mono">{account.accountNumber}</span> {account.holderName && <span>· {account.holderName}</span>}
              <div class="muted small">
                {t('bank.balance')}: <Money amount={account.balance} /> · {t('bank.lastSync')}: <Time at={account.lastSyncedAt} />
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="lines-title">
        <div class="section-head">
          <h2 id="lines-title">{t('bank.lines')}</h2>
          <button type="button" class="button secondary small" onClick={() => void exportCsv()}>
            {t('bank.csv')}
          </button>
        </div>
        <form class="filters" onSubmit={apply} key={location.query.toString()}>
          <label class="field">
            <span>{t('bank.search')}</span>
            <input name="search" type="search" defaultValue={q('search')} maxLength={200} />
          </label>
          <FilterSelect name="account" label={t('bank.account')} value={q('account')} options={accountList.map((account) => [account.id, `${account.bankCode} ${account.accountNumber}`])} />
          <FilterSelect name="matched" label={t('bank.matched')} value={q('matched')} options={[['true', t('bank.matchedOnly')], ['false', t('bank.unmatchedOnly')]]} />
          <FilterSelect name="direction" label={t('bank.direction')} value={q('direction')} options={[['IN', t('bank.in')], ['OUT', t('bank.out')]]} />
          <div class="filter-actions">
            <button type="submit" class="button primary">
              {t('common.apply')}
            </button>
            <button type="button" class="button secondary" onClick={() => navigate('/bank', { replace: true })}>
              {t('common.clear')}
            </button>
          </div>
        </form>
        {totals && (
          <p class="small" data-testid="statement-totals">
            {t('bank.totals', { count: totals.count, in: formatMoney(totals.totalIn), out: formatMoney(totals.totalOut), net: formatMoney(totals.net) })}
          </p>
        )}
        {statement.error && <Failed error={statement.error} retry={statement.reload} />}
        {!statement.data && !statement.error && <Loading />}
        {statement.data && lines.length === 0 && <p class="muted">{t('bank.empty')}</p>}
        {lines.length > 0 && (
          <table class="table responsive" id="statement">
            <caption class="visually-hidden">{t('bank.lines')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('bank.time')}</th>
                <th scope="col">{t('common.description')}</th>
                <th scope="col" class="num">
                  {t('common.amount')}
                </th>
                <th scope="col">{t('bank.order')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.id} data-line-id={line.id} data-ref={line.refNo}>
                  <td data-label={t('bank.time')}>
                    <Time at={line.transactionTime} />
                    <div class="muted small mono">{line.refNo}</div>
                  </td>
                  <td data-label={t('common.description')} class="wrap">
                    {line.description}
                    <div class="muted small">
                      {line.bank} {line.accountNumber}
                    </div>
                  </td>
                  <td data-label={t('common.amount')} class={`num ${line.direction === 'IN' ? 'money-in' : 'money-out'}`}>
                    <Money amount={line.amount} />
                  </td>
                  <td data-label={t('bank.order')}>
                    {line.matchedOrder ? (
                      <>
                        <Link href={`/orders/${line.matchedOrder.id}`}>{line.matchedOrder.requestId}</Link> <StatusBadge status={line.matchedOrder.status} />
                      </>
                    ) : line.reviewOpenedAt ? (
                      <>
                        <span class="badge badge-warn">{t('bank.inReview')}</span> {line.reviewReason && <span class="small">{reasonName(line.reviewReason)}</span>} <Link href="/review">{t('nav.review')}</Link>
                      </>
                    ) : (
                      <span class="muted">{t('common.none')}</span>
                    )}
                    {line.reviewedBy && (
                      <div class="muted small">
                        {t('bank.reviewedBy')} <Actor actor={line.reviewedBy} /> · <Time at={line.reviewedAt} />
                        {line.reviewNote && <> · “{line.reviewNote}”</>}
                      </div>
                    )}
                    {line.matchNote && <div class="muted small">{line.matchNote}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
