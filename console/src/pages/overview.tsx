// A page to look at rather than read: today's money in and out per provider
// and method, and how long the review queue has waited. It refreshes itself
// when an order settles or needs a person.
import { useMemo, useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import { useQuery, useSubscription } from '../hooks.js';
import { formatMoney, formatTime, translate as t } from '../i18n.js';
import { Link } from '../router.js';
import { BarChart, StackedColumns, TableView, type Bar } from '../ui/charts.js';
import { channelName, kindName } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';

const OverviewQuery = graphql(`
  query ConsoleOverview($from: DateTime, $to: DateTime) {
    moneyFlow(from: $from, to: $to) {
      __typename
      ... on QueryMoneyFlowSuccess { data { from to totalIn totalOut groups { direction provider kind method gateway count amount } } }
      ... on Error { message }
    }
    reviewQueueAge { total oldestOpenedAt buckets { minMinutes maxMinutes orders cardCharges bankTransactions count } }
  }
`);

const Settlements = graphql(`
  subscription ConsoleOverviewSettlements {
    orderEvents(filter: { status: [SUCCEEDED, NEEDS_REVIEW] }) { id }
  }
`);

type Period = 'today' | 'yesterday' | 'week';
const DAY = 24 * 60 * 60 * 1000;

/** 00:00 today in Vietnam, as an instant. */
function vietnamMidnight(): number {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return new Date(`${date}T00:00:00+07:00`).getTime();
}

function periodOf(period: Period): { from?: string; to?: string } {
  const midnight = vietnamMidnight();
  if (period === 'yesterday') return { from: new Date(midnight - DAY).toISOString(), to: new Date(midnight).toISOString() };
  if (period === 'week') return { from: new Date(midnight - 6 * DAY).toISOString(), to: new Date(midnight + DAY).toISOString() };
  return {};
}

export function Overview() {
  const [period, setPeriod] = useState<Period>('today');
  const variables = useMemo(() => periodOf(period), [period]);
  const query = useQuery(OverviewQuery, variables);
  useSubscription(Settlements, {}, () => void query.reload());

  const flow = query.data?.moneyFlow.__typename === 'QueryMoneyFlowSuccess' ? query.data.moneyFlow.data : undefined;
  const age = query.data?.reviewQueueAge;
  const bars = (direction: 'IN' | 'OUT'): Bar[] =>
    (flow?.groups ?? [])
      .filter((group) => group.direction === direction)
      .map((group) => ({
        label: `${channelName(group.provider, group.method, group.gateway)}${group.kind ? ` (${kindName(group.kind)})` : ''}`,
        value: BigInt(group.amount),
        valueText: formatMoney(group.amount),
        tone: direction === 'IN' ? 'in' : 'out',
      }));
  const inBars = bars('IN');
  const outBars = bars('OUT');
  const count = (direction: string) => (flow?.groups ?? []).filter((g) => g.direction === direction).reduce((n, g) => n + g.count, 0);
  const ageLabels = [t('age.0'), t('age.1'), t('age.2'), t('age.3'), t('age.4')];

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('overview.title')}</h1>
        <label class="field inline">
          <span>{t('overview.period')}</span>
          <select value={period} onChange={(event) => setPeriod((event.currentTarget as HTMLSelectElement).value as Period)}>
            <option value="today">{t('overview.today')}</option>
            <option value="yesterday">{t('overview.yesterday')}</option>
            <option value="week">{t('overview.week')}</option>
          </select>
        </label>
      </div>
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {flow && (
        <section class="card" aria-labelledby="flow-title">
          <h2 id="flow-title">{t('overview.flowTitle')}</h2>
          <div class="totals">
            <p class="total total-in" data-testid="total-in">
              <span>{t('overview.moneyIn')}</span>
              <strong>{formatMoney(flow.totalIn)}</strong>
              <small>{t('overview.count', { count: count('IN') })}</small>
            </p>
            <p class="total total-out" data-testid="total-out">
              <span>{t('overview.moneyOut')}</span>
              <strong>{formatMoney(flow.totalOut)}</strong>
              <small>{t('overview.count', { count: count('OUT') })}</small>
            </p>
          </div>
          {inBars.length + outBars.length === 0 ? (
            <p class="muted">{t('overview.flowEmpty')}</p>
          ) : (
            <>
              {inBars.length > 0 && (
                <>
                  <h3>{t('overview.moneyIn')}</h3>
                  <BarChart bars={inBars} title={t('overview.moneyIn')} description={inBars.map((b) => `${b.label}: ${b.valueText}`).join('; ')} />
                </>
              )}
              {outBars.length > 0 && (
                <>
                  <h3>{t('overview.moneyOut')}</h3>
                  <BarChart bars={outBars} title={t('overview.moneyOut')} description={outBars.map((b) => `${b.label}: ${b.valueText}`).join('; ')} />
                </>
              )}
              <TableView summary={t('overview.tableView')}>
                <table class="table">
                  <caption class="visually-hidden">{t('overview.flowTitle')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.provider')}</th>
                      <th scope="col">{t('bank.direction')}</th>
                      <th scope="col" class="num">
                        {t('common.amount')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {flow.groups.map((group) => (
                      <tr key={`${group.direction}${group.provider}${group.kind}${group.method}${group.gateway}`}>
                        <td>{channelName(group.provider, group.method, group.gateway)}</td>
                        <td>{group.direction === 'IN' ? t('bank.in') : t('bank.out')}</td>
                        <td class="num">
                          {formatMoney(group.amount)} · {group.count}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableView>
            </>
          )}
          <p class="muted small">{t('overview.flowCaption')}</p>
        </section>
      )}
      {age && (
        <section class="card" aria-labelledby="age-title">
          <h2 id="age-title">{t('overview.reviewTitle')}</h2>
          {age.total === 0 ? (
            <p class="muted">{t('overview.reviewEmpty')}</p>
          ) : (
            <>
              <p data-testid="review-total">{t('overview.reviewTotal', { count: age.total, since: formatTime(age.oldestOpenedAt) })}</p>
              <StackedColumns
                title={t('overview.reviewTitle')}
                description={age.buckets.map((bucket, i) => `${ageLabels[i]}: ${bucket.count}`).join('; ')}
                series={[
                  { name: t('kind.ORDER'), className: 'series-order' },
                  { name: t('kind.CARD_CHARGE'), className: 'series-card' },
                  { name: t('kind.BANK_TRANSACTION'), className: 'series-bank' },
                ]}
                columns={age.buckets.map((bucket, i) => ({ label: ageLabels[i]!, values: [bucket.orders, bucket.cardCharges, bucket.bankTransactions] }))}
              />
              <TableView summary={t('overview.tableView')}>
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col" />
                      <th scope="col" class="num">{t('kind.ORDER')}</th>
                      <th scope="col" class="num">{t('kind.CARD_CHARGE')}</th>
                      <th scope="col" class="num">{t('kind.BANK_TRANSACTION')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {age.buckets.map((bucket, i) => (
                      <tr key={bucket.minMinutes}>
                        <th scope="row">{ageLabels[i]}</th>
                        <td class="num">{bucket.orders}</td>
                        <td class="num">{bucket.cardCharges}</td>
                        <td class="num">{bucket.bankTransactions}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableView>
            </>
          )}
          <p>
            <Link href="/review">{t('overview.openQueue')}</Link>
          </p>
        </section>
      )}
    </>
  );
}
