// The routing rules and the route preview. Rules are edited per direction and
// method as an ordered list (reorder, on/off, amount bounds) and saved whole
// through setRoutingRules; its ValidationError names the field at fault
// ("rules.1.maxAmount"), shown beside that field. The preview asks
// routePreview which route a payment would take now and why.
import { useEffect, useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleRoutingRuleListFragment, ConsoleRoutePreviewQuery, PaymentDirection, PaymentMethod, Route } from '../gql/graphql.js';
import { ApiError, request, unwrap } from '../api.js';
import { useQuery } from '../hooks.js';
import { getLanguage, translate as t, translateOr } from '../i18n.js';
import { announce } from '../ui/announce.js';
import { describeError } from '../ui/dialog.js';
import { Money, paymentMethodName, routeName } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';

graphql(`
  fragment ConsoleRoutingRuleList on RoutingRuleList {
    direction method
    rules { route enabled minAmount maxAmount position }
  }
`);

const Rules = graphql(`
  query ConsoleRoutingRules {
    routingRules { ...ConsoleRoutingRuleList }
  }
`);

const SetRules = graphql(`
  mutation ConsoleSetRoutingRules($direction: PaymentDirection!, $method: PaymentMethod!, $rules: [RoutingRuleInput!]!) {
    setRoutingRules(direction: $direction, method: $method, rules: $rules) {
      __typename
      ... on MutationSetRoutingRulesSuccess { data { ...ConsoleRoutingRuleList } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const Preview = graphql(`
  query ConsoleRoutePreview($input: RoutePreviewInput!) {
    routePreview(input: $input) {
      __typename
      ... on QueryRoutePreviewSuccess { data { chosen candidates source decisions { route accepted reason } } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const ROUTES: Route[] = ['AZCONNECTPAY', 'HUB_SHARKPAY', 'HUB_WOWPAY', 'VNKASH', 'BANK_ACCOUNT'];
/**
 * The methods offered per direction, as the API's PaymentMethod documents them
 * (collecting; payouts decided by the payee). The API checks again: a method
 * no route offers comes back as a ValidationError on `method`.
 */
const METHODS: Record<PaymentDirection, PaymentMethod[]> = {
  IN: ['BANK_TRANSFER', 'MOMO', 'ZALOPAY', 'BANK_QR', 'BANK_CARD', 'GATEWAY_PAGE'],
  OUT: ['BANK_TRANSFER', 'MOMO', 'VNKASH'],
};

const listName = (direction: PaymentDirection, method: PaymentMethod) => `${t(`direction.${direction}`)} · ${paymentMethodName(method)}`;

/** Whole đồng as typed ("150.000", "150 000 ₫") → digits; '' when empty; null when not a number. */
function amountOf(text: string): string | null {
  const digits = text.replace(/[.\s,₫]/g, '');
  if (!digits) return '';
  return /^\d+$/.test(digits) ? digits : null;
}

/**
 * The API's routing reasons and rule errors are English sentences
 * (src/domain/routing.ts). In Vietnamese the known ones are translated;
 * anything else shows as the API wrote it.
 */
const API_TEXT_VI: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^(\w+) is listed twice$/, (m) => `${routeName(m[1]!)} có hai lần trong danh sách`],
  [/^must not be negative$/, () => 'không được âm'],
  [/^must be positive$/, () => 'phải lớn hơn 0'],
  [/^must not be below minAmount$/, () => 'không được nhỏ hơn mức “từ”'],
  [/^(\w+) does not offer (\w+) collection$/, (m) => `${routeName(m[1]!)} không thu bằng ${paymentMethodName(m[2]!)}`],
  [/^(\w+) does not offer (\w+) payouts$/, (m) => `${routeName(m[1]!)} không chi bằng ${paymentMethodName(m[2]!)}`],
  [/^turned off in the routing rules$/, () => 'đang tắt trong quy tắc định tuyến'],
  [/^no account configured for this provider$/, () => 'chưa cấu hình tài khoản với nhà cung cấp này'],
  [/^below the provider's documented minimum of ([\d,]+) đồng$/, (m) => `dưới mức tối thiểu của nhà cung cấp (${m[1]!.replace(/,/g, '.')} đồng)`],
  [/^below this rule's lower bound of ([\d,]+) đồng$/, (m) => `dưới mức “từ” của quy tắc (${m[1]!.replace(/,/g, '.')} đồng)`],
  [/^above this rule's upper bound of ([\d,]+) đồng$/, (m) => `trên mức “đến” của quy tắc (${m[1]!.replace(/,/g, '.')} đồng)`],
  [/^the provider's rules refuse it: (.*)$/s, (m) => `quy định của nhà cung cấp không cho phép: ${m[1]}`],
  [/^circuit open/, () => 'cầu dao đang mở: nhà cung cấp lỗi liên tục; thử lại sau thời gian chờ'],
  [/^pinned by the request$/, () => 'được chỉ định trong yêu cầu'],
  [/^allowed by the routing rules$/, () => 'quy tắc định tuyến cho phép'],
  [/^configured and supports the method \(default order\)$/, () => 'đã cấu hình và có phương thức này (thứ tự mặc định)'],
];
function apiText(text: string): string {
  if (getLanguage() !== 'vi') return text;
  for (const [pattern, translated] of API_TEXT_VI) {
    const match = text.match(pattern);
    if (match) return translated(match);
  }
  return text;
}

/** Errors by the API's field path ("method", "rules.0.maxAmount", "amount" …); "" for the form as a whole. */
type FieldErrors = Record<string, string>;

function errorsOf(failure: unknown): FieldErrors {
  if (failure instanceof ApiError && typeof failure.details.field === 'string') return { [failure.details.field]: apiText(failure.message) };
  return { '': describeError(failure) };
}

/** A labelled input or select with its error beside it (aria-invalid, aria-describedby). */
function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <span id={id} class="field-error">
      {error}
    </span>
  ) : null;
}

interface Row {
  route: Route;
  enabled: boolean;
  min: string;
  max: string;
}

const rowsOf = (list: ConsoleRoutingRuleListFragment | undefined): Row[] =>
  (list?.rules ?? []).map((rule) => ({ route: rule.route, enabled: rule.enabled, min: rule.minAmount ?? '', max: rule.maxAmount ?? '' }));

function RulesEditor({ lists, direction, method, choose, onSaved }: { lists: ConsoleRoutingRuleListFragment[]; direction: PaymentDirection; method: PaymentMethod; choose(direction: PaymentDirection, method: PaymentMethod): void; onSaved(list: ConsoleRoutingRuleListFragment): void }) {
  const stored = lists.find((list) => list.direction === direction && list.method === method);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(stored));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [adding, setAdding] = useState<Route | ''>('');
  const [focus, setFocus] = useState<string>();

  // Another list chosen (or saved): start from what is stored.
  useEffect(() => {
    setRows(rowsOf(stored));
    setErrors({});
    setDirty(false);
  }, [direction, method, stored]);

  // After a move, the focus stays on the row that moved.
  useEffect(() => {
    if (!focus) return;
    const [route, action] = focus.split(':');
    const row = document.querySelector(`[data-rule="${route}"]`);
    const button = row?.querySelector<HTMLButtonElement>(`[data-move="${action}"]:not(:disabled)`) ?? row?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)');
    button?.focus();
    setFocus(undefined);
  }, [focus]);

  // A refused save: the focus goes to the first field at fault (its error is read with it).
  useEffect(() => {
    if (Object.keys(errors).some((field) => field)) document.querySelector<HTMLElement>('#routing-editor [aria-invalid="true"]')?.focus();
  }, [errors]);

  const change = (next: Row[]) => {
    setRows(next);
    setDirty(true);
    setErrors({});
  };
  const edit = (index: number, patch: Partial<Row>) => change(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row!);
    change(next);
    setFocus(`${row!.route}:${by < 0 ? 'up' : 'down'}`);
  };
  const missing = ROUTES.filter((route) => !rows.some((row) => row.route === route));

  async function save(next: Row[]) {
    const problems: FieldErrors = {};
    const rules = next.map((row, index) => {
      const minAmount = amountOf(row.min);
      const maxAmount = amountOf(row.max);
      if (minAmount === null) problems[`rules.${index}.minAmount`] = t('routing.digits');
      if (maxAmount === null) problems[`rules.${index}.maxAmount`] = t('routing.digits');
      return { route: row.route, enabled: row.enabled, minAmount: minAmount || null, maxAmount: maxAmount || null };
    });
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const saved = unwrap((await request(SetRules, { direction, method, rules })).setRoutingRules);
      onSaved(saved);
      announce(t('routing.saved', { what: listName(direction, method) }));
    } catch (failure) {
      setErrors(errorsOf(failure));
    } finally {
      setBusy(false);
    }
  }

  const fieldId = (field: string) => `routing-${field.replace(/\./g, '-')}`;
  const invalid = (field: string) => (errors[field] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${fieldId(field)}-error` } : {});

  return (
    <form
      class="card stack"
      id="routing-editor"
      aria-labelledby="routing-editor-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save(rows);
      }}
    >
      <h2 id="routing-editor-title">{t('routing.editor')}</h2>
      <div class="pair">
        <label class="field">
          <span>{t('routing.direction')}</span>
          <select
            name="direction"
            value={direction}
            onChange={(event) => {
              const next = (event.currentTarget as HTMLSelectElement).value as PaymentDirection;
              choose(next, METHODS[next].includes(method) ? method : METHODS[next][0]!);
            }}
          >
            {(['IN', 'OUT'] as const).map((value) => (
              <option key={value} value={value}>
                {t(`direction.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('routing.method')}</span>
          <select name="method" value={method} onChange={(event) => choose(direction, (event.currentTarget as HTMLSelectElement).value as PaymentMethod)} {...invalid('method')}>
            {METHODS[direction].map((value) => (
              <option key={value} value={value}>
                {paymentMethodName(value)}
              </option>
            ))}
          </select>
          <FieldError id={`${fieldId('method')}-error`} error={errors.method} />
        </label>
      </div>
      {rows.length === 0 && <p class="notice">{t('routing.defaultOrder')}</p>}
      <ol class="rule-list" aria-label={listName(direction, method)}>
        {rows.map((row, index) => {
          const name = routeName(row.route);
          const routeError = errors[`rules.${index}.route`];
          return (
            <li key={row.route} class={`rule-row${row.enabled ? '' : ' rule-off'}`} data-rule={row.route}>
              <div class="rule-name">
                <span class="muted small">{t('routing.position', { n: index + 1 })}</span>
                <strong id={`${fieldId(`rules.${index}.route`)}`}>{name}</strong>
                <FieldError id={`${fieldId(`rules.${index}.route`)}-error`} error={routeError} />
              </div>
              <label class="check rule-toggle">
                <input type="checkbox" checked={row.enabled} onChange={(event) => edit(index, { enabled: (event.currentTarget as HTMLInputElement).checked })} {...invalid(`rules.${index}.route`)} />
                <span>
                  {t('routing.enabled')}
                  <span class="visually-hidden">: {name}</span>
                </span>
              </label>
              {(['minAmount', 'maxAmount'] as const).map((bound) => {
                const field = `rules.${index}.${bound}`;
                return (
                  <label class="field" key={bound}>
                    <span>
                      {t(bound === 'minAmount' ? 'routing.minAmount' : 'routing.maxAmount')}
                      <span class="visually-hidden">: {name}</span>
                    </span>
                    <input
                      name={field}
                      inputMode="numeric"
                      autoComplete="off"
                      value={bound === 'minAmount' ? row.min : row.max}
                      onInput={(event) => edit(index, bound === 'minAmount' ? { min: (event.currentTarget as HTMLInputElement).value } : { max: (event.currentTarget as HTMLInputElement).value })}
                      {...invalid(field)}
                    />
                    <FieldError id={`${fieldId(field)}-error`} error={errors[field]} />
                  </label>
                );
              })}
              <div class="rule-actions">
                <button type="button" class="button small secondary" data-move="up" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`${t('routing.up')}: ${name}`}>
                  <span aria-hidden="true">↑</span>
                </button>
                <button type="button" class="button small secondary" data-move="down" disabled={index === rows.length - 1} onClick={() => move(index, 1)} aria-label={`${t('routing.down')}: ${name}`}>
                  <span aria-hidden="true">↓</span>
                </button>
                <button type="button" class="button small danger" onClick={() => change(rows.filter((_, i) => i !== index))} aria-label={`${t('routing.remove')}: ${name}`}>
                  {t('routing.remove')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {missing.length > 0 && (
        <div class="add-route">
          <label class="field">
            <span>{t('routing.addRoute')}</span>
            <select value={adding} onChange={(event) => setAdding((event.currentTarget as HTMLSelectElement).value as Route | '')}>
              <option value="">{t('routing.choose')}</option>
              {missing.map((route) => (
                <option key={route} value={route}>
                  {routeName(route)}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="button secondary"
            disabled={!adding}
            onClick={() => {
              if (!adding) return;
              change([...rows, { route: adding, enabled: true, min: '', max: '' }]);
              setAdding('');
            }}
          >
            {t('routing.add')}
          </button>
        </div>
      )}
      {errors[''] && (
        <p class="form-error" role="alert">
          {errors['']}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {t('routing.save')}
        </button>
        {stored && (
          <button type="button" class="button secondary" disabled={busy} onClick={() => void save([])}>
            {t('routing.reset')}
          </button>
        )}
        {dirty && <span class="muted small">{t('routing.unsaved')}</span>}
      </div>
    </form>
  );
}

type PreviewResult = Extract<ConsoleRoutePreviewQuery['routePreview'], { __typename: 'QueryRoutePreviewSuccess' }>['data'];
type PayeeKind = 'bank' | 'momo' | 'vnkash';

function RoutePreviewForm() {
  const [direction, setDirection] = useState<PaymentDirection>('IN');
  const [payeeKind, setPayeeKind] = useState<PayeeKind>('bank');
  const [result, setResult] = useState<{ preview: PreviewResult; amount: string }>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  async function run(event: Event) {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(fields.get(name) ?? '').trim();
    const amount = amountOf(value('amount'));
    if (!amount) {
      setErrors({ amount: t('routing.digits') });
      return;
    }
    const payee =
      direction === 'IN'
        ? undefined
        : payeeKind === 'bank'
          ? { bank: { bankCode: value('payee.bank.bankCode'), accountNumber: value('payee.bank.accountNumber'), accountName: value('payee.bank.accountName') } }
          : payeeKind === 'momo'
            ? { momo: { phone: value('payee.momo.phone'), name: value('payee.momo.name') } }
            : { vnkash: { account: value('payee.vnkash.account') } };
    const pin = value('provider') as Route | '';
    setBusy(true);
    setErrors({});
    try {
      const preview = unwrap((await request(Preview, { input: { direction, amount, method: direction === 'IN' ? (value('method') as PaymentMethod) : undefined, payee, provider: pin || undefined } })).routePreview);
      setResult({ preview, amount });
    } catch (failure) {
      setResult(undefined);
      setErrors(errorsOf(failure));
    } finally {
      setBusy(false);
    }
  }

  const input = (name: string, label: string, extra: Record<string, string> = {}) => {
    const id = `preview-${name.replace(/\./g, '-')}`;
    return (
      <label class="field" key={name}>
        <span>{label}</span>
        <input name={name} autoComplete="off" {...extra} {...(errors[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {})} />
        <FieldError id={`${id}-error`} error={errors[name]} />
      </label>
    );
  };

  return (
    <section class="card" aria-labelledby="preview-title" id="route-preview">
      <h2 id="preview-title">{t('routing.previewTitle')}</h2>
      <p class="muted small">{t('routing.previewLead')}</p>
      <form class="filters" onSubmit={run} noValidate>
        <label class="field">
          <span>{t('routing.direction')}</span>
          <select name="direction" value={direction} onChange={(event) => setDirection((event.currentTarget as HTMLSelectElement).value as PaymentDirection)}>
            {(['IN', 'OUT'] as const).map((value) => (
              <option key={value} value={value}>
                {t(`direction.${value}`)}
              </option>
            ))}
          </select>
        </label>
        {input('amount', t('common.amount'), { inputMode: 'numeric', required: 'true' })}
        {direction === 'IN' ? (
          <label class="field">
            <span>{t('routing.method')}</span>
            <select name="method" {...(errors.method ? { 'aria-invalid': 'true', 'aria-describedby': 'preview-method-error' } : {})}>
              {METHODS.IN.map((value) => (
                <option key={value} value={value}>
                  {paymentMethodName(value)}
                </option>
              ))}
            </select>
            <FieldError id="preview-method-error" error={errors.method} />
          </label>
        ) : (
          <>
            <label class="field">
              <span>{t('routing.payee')}</span>
              <select value={payeeKind} onChange={(event) => setPayeeKind((event.currentTarget as HTMLSelectElement).value as PayeeKind)}>
                <option value="bank">{paymentMethodName('BANK_TRANSFER')}</option>
                <option value="momo">{paymentMethodName('MOMO')}</option>
                <option value="vnkash">{paymentMethodName('VNKASH')}</option>
              </select>
            </label>
            {payeeKind === 'bank' && [input('payee.bank.bankCode', t('routing.bankCode')), input('payee.bank.accountNumber', t('routing.accountNumber')), input('payee.bank.accountName', t('routing.accountName'))]}
            {payeeKind === 'momo' && [input('payee.momo.phone', t('routing.phone'), { inputMode: 'tel' }), input('payee.momo.name', t('routing.name'))]}
            {payeeKind === 'vnkash' && input('payee.vnkash.account', t('routing.wallet'))}
          </>
        )}
        <label class="field">
          <span>{t('routing.pin')}</span>
          <select name="provider">
            <option value="">{t('common.none')}</option>
            {ROUTES.map((route) => (
              <option key={route} value={route}>
                {routeName(route)}
              </option>
            ))}
          </select>
        </label>
        <div class="filter-actions">
          <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {t('routing.run')}
          </button>
        </div>
      </form>
      {(errors[''] || errors.payee) && (
        <p class="form-error" role="alert">
          {errors[''] ?? errors.payee}
        </p>
      )}
      <div aria-live="polite" id="preview-result">
        {result && (
          <div class="preview-result">
            <p class="preview-choice">
              <Money amount={result.amount} /> →{' '}
              {result.preview.chosen ? <strong>{t('routing.chosen', { route: routeName(result.preview.chosen) })}</strong> : <strong class="text-bad">{t('routing.noRoute')}</strong>}
              <span class="muted small"> · {t('routing.source', { source: translateOr(`routing.source.${result.preview.source}`, result.preview.source) })}</span>
            </p>
            <h3>{t('routing.decisions')}</h3>
            <ol class="plain decisions-list">
              {result.preview.decisions.map((decision) => (
                <li key={decision.route} data-route={decision.route} data-accepted={decision.accepted ? 'true' : 'false'}>
                  <span class={`badge ${decision.accepted ? (decision.route === result.preview.chosen ? 'badge-ok' : 'badge-wait') : 'badge-muted'}`}>{decision.accepted ? t('routing.accepted', { n: result.preview.candidates.indexOf(decision.route) + 1 }) : t('routing.rejected')}</span>{' '}
                  <strong>{routeName(decision.route)}</strong>: {apiText(decision.reason)}
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
    </section>
  );
}

export function Routing() {
  const query = useQuery(Rules, {});
  const [selected, setSelected] = useState<{ direction: PaymentDirection; method: PaymentMethod }>({ direction: 'IN', method: 'BANK_TRANSFER' });
  const lists = query.data?.routingRules ?? [];
  const saved = (list: ConsoleRoutingRuleListFragment) =>
    query.update((data) => ({
      routingRules: [...data.routingRules.filter((l) => !(l.direction === list.direction && l.method === list.method)), ...(list.rules.length ? [list] : [])],
    }));
  const choose = (direction: PaymentDirection, method: PaymentMethod) => setSelected({ direction, method });

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('routing.title')}</h1>
      </div>
      <p class="muted">{t('routing.lead')}</p>
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {query.data && (
        <>
          <section class="card" aria-labelledby="rules-in-use">
            <h2 id="rules-in-use">{t('routing.inUse')}</h2>
            {lists.length === 0 ? (
              <p class="muted">{t('routing.noneSet')}</p>
            ) : (
              <ul class="plain" id="rules-in-use-list">
                {lists.map((list) => (
                  <li key={`${list.direction}:${list.method}`} class="rules-summary" data-list={`${list.direction}:${list.method}`}>
                    <span>
                      <strong>{listName(list.direction, list.method)}</strong>:{' '}
                      {list.rules.map((rule, i) => (
                        <span key={rule.route} class={rule.enabled ? undefined : 'muted'}>
                          {i > 0 && ' → '}
                          {routeName(rule.route)}
                          {(rule.minAmount || rule.maxAmount) && (
                            <span class="small muted">
                              {' '}
                              ({rule.minAmount ? <Money amount={rule.minAmount} /> : '0'}–{rule.maxAmount ? <Money amount={rule.maxAmount} /> : '∞'})
                            </span>
                          )}
                          {!rule.enabled && <span class="small"> ({t('routing.off')})</span>}
                        </span>
                      ))}
                    </span>{' '}
                    <button
                      type="button"
                      class="button small secondary"
                      aria-label={`${t('routing.editRules')}: ${listName(list.direction, list.method)}`}
                      onClick={() => {
                        choose(list.direction, list.method);
                        document.getElementById('routing-editor-title')?.scrollIntoView();
                        document.querySelector<HTMLSelectElement>('#routing-editor select[name="method"]')?.focus();
                      }}
                    >
                      {t('routing.editRules')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <RulesEditor lists={lists} direction={selected.direction} method={selected.method} choose={choose} onSaved={saved} />
        </>
      )}
      <RoutePreviewForm />
    </>
  );
}
