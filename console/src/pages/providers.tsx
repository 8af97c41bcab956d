// Provider accounts: their health first (what this server saw of its
// createPayment/createPayout calls: outcomes, latency, circuit), then each
// account's settings in clear, secrets write-only (whether set, and the last
// characters of long ones). Editing sends every setting back and only the
// secrets typed; an empty secret keeps the stored one.
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleProviderAccountFragment, ConsoleProviderHealthFragment, Provider } from '../gql/graphql.js';
import { request, unwrap } from '../api.js';
import { useQuery } from '../hooks.js';
import { translate as t } from '../i18n.js';
import { announce } from '../ui/announce.js';
import { Dialog, describeError } from '../ui/dialog.js';
import { Time, providerName } from '../ui/format.js';
import { formatTime, translateOr } from '../i18n.js';
import { Failed, Loading } from '../ui/states.js';
import { session } from '../session.js';
import { PROVIDERS } from './orders.js';

graphql(`
  fragment ConsoleProviderAccount on ProviderAccount {
    provider enabled settings updatedAt
    secrets { name isSet hint }
  }
`);

graphql(`
  fragment ConsoleProviderHealth on ProviderHealth {
    provider circuit openUntil consecutiveFailures successRate medianLatencyMs
    recent { at outcome latencyMs }
  }
`);

const Accounts = graphql(`
  query ConsoleProviderAccounts {
    providerAccounts { ...ConsoleProviderAccount }
    providerHealth { ...ConsoleProviderHealth }
  }
`);

const Health = graphql(`
  query ConsoleProviderHealth {
    providerHealth { ...ConsoleProviderHealth }
  }
`);

const CIRCUIT_TONE: Record<string, string> = { closed: 'ok', 'half-open': 'warn', open: 'bad' };
const OUTCOMES = ['success', 'refused', 'failure'] as const;

function CircuitBadge({ health }: { health: ConsoleProviderHealthFragment }) {
  const text = health.circuit === 'open' ? t('circuit.open', { until: formatTime(health.openUntil, true) }) : translateOr(`circuit.${health.circuit}`, health.circuit);
  return (
    <span class={`badge badge-${CIRCUIT_TONE[health.circuit] ?? 'muted'}`} data-circuit={health.circuit}>
      {text}
    </span>
  );
}

/** The recent calls as a strip (oldest left), each with its outcome and latency; the counts in words beside it. */
function RecentCalls({ recent }: { recent: ConsoleProviderHealthFragment['recent'] }) {
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, recent.filter((call) => call.outcome === outcome).length]));
  return (
    <>
      <span class="calls" aria-hidden="true">
        {[...recent].reverse().map((call, i) => (
          <span key={i} class={`call call-${call.outcome}`} title={`${formatTime(call.at, true)} · ${translateOr(`call.${call.outcome}`, call.outcome)} · ${t('providers.ms', { ms: call.latencyMs })}`} />
        ))}
      </span>
      <span class="small">{t('providers.recentSummary', counts)}</span>
    </>
  );
}

function HealthTable({ health }: { health: ConsoleProviderHealthFragment[] }) {
  if (health.length === 0) return <p class="muted">{t('providers.healthNone')}</p>;
  return (
    <table class="table responsive" id="provider-health">
      <caption class="visually-hidden">{t('providers.healthTitle')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('common.provider')}</th>
          <th scope="col">{t('providers.circuit')}</th>
          <th scope="col" class="num">
            {t('providers.successRate')}
          </th>
          <th scope="col" class="num">
            {t('providers.medianLatency')}
          </th>
          <th scope="col" class="num">
            {t('providers.failuresInRow')}
          </th>
          <th scope="col">{t('providers.recent')}</th>
        </tr>
      </thead>
      <tbody>
        {health.map((row) => (
          <tr key={row.provider} data-health={row.provider}>
            <td data-label={t('common.provider')}>
              <strong>{providerName(row.provider)}</strong>
            </td>
            <td data-label={t('providers.circuit')}>
              <CircuitBadge health={row} />
            </td>
            <td data-label={t('providers.successRate')} class="num">
              {row.successRate == null ? t('common.none') : `${Math.round(row.successRate * 100)} %`}
            </td>
            <td data-label={t('providers.medianLatency')} class="num">
              {row.medianLatencyMs == null ? t('common.none') : t('providers.ms', { ms: row.medianLatencyMs })}
            </td>
            <td data-label={t('providers.failuresInRow')} class={`num${row.consecutiveFailures ? ' text-bad' : ''}`}>
              {row.consecutiveFailures}
            </td>
            <td data-label={t('providers.recent')}>
              <RecentCalls recent={row.recent} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SetAccount = graphql(`
  mutation ConsoleSetProviderAccount($provider: Provider!, $values: JSON!, $enabled: Boolean) {
    setProviderAccount(provider: $provider, values: $values, enabled: $enabled) {
      __typename
      ... on MutationSetProviderAccountSuccess { data { ...ConsoleProviderAccount } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

/** A setting as typed in a text field: strings as they are, anything else as JSON. */
const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
function parsed(text: string, original: unknown): unknown {
  if (typeof original === 'string' || original === undefined) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function EditDialog({ account, onClose, onSaved }: { account: ConsoleProviderAccountFragment; onClose(): void; onSaved(account: ConsoleProviderAccountFragment): void }) {
  const settings = account.settings as Record<string, unknown>;
  return (
    <Dialog
      title={`${t('providers.edit')} — ${providerName(account.provider)}`}
      action={t('common.save')}
      onClose={onClose}
      onSubmit={async (_note, fields) => {
        const values: Record<string, unknown> = {};
        for (const [name, original] of Object.entries(settings)) values[name] = parsed(String(fields.get(`setting:${name}`) ?? ''), original);
        const extraName = String(fields.get('extraName') ?? '').trim();
        if (extraName) values[extraName] = String(fields.get('extraValue') ?? '');
        for (const secret of account.secrets) {
          const typed = String(fields.get(`secret:${secret.name}`) ?? '');
          if (typed) values[secret.name] = typed;
        }
        const saved = unwrap((await request(SetAccount, { provider: account.provider, values, enabled: fields.get('enabled') === 'on' })).setProviderAccount);
        onSaved(saved);
        announce(t('providers.saved', { provider: providerName(account.provider) }));
      }}
    >
      <fieldset>
        <legend>{t('providers.settings')}</legend>
        {Object.entries(settings).map(([name, value]) => (
          <label class="field" key={name}>
            <span class="mono">{name}</span>
            <input name={`setting:${name}`} defaultValue={shown(value)} autoComplete="off" spellcheck={false} />
          </label>
        ))}
        <div class="pair">
          <label class="field">
            <span>{t('providers.settingName')}</span>
            <input name="extraName" autoComplete="off" spellcheck={false} />
          </label>
          <label class="field">
            <span>{t('providers.settingValue')}</span>
            <input name="extraValue" autoComplete="off" spellcheck={false} />
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('providers.secrets')}</legend>
        {account.secrets.map((secret) => (
          <label class="field" key={secret.name}>
            <span class="mono">{secret.name}</span>
            <input name={`secret:${secret.name}`} type="password" autoComplete="new-password" placeholder={secret.isSet ? `${t('providers.secretKeep')} (${secret.hint ?? '…'})` : t('providers.notSet')} />
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input type="checkbox" name="enabled" defaultChecked={account.enabled} /> {t('providers.enabled')}
      </label>
    </Dialog>
  );
}

function AddDialog({ missing, onClose, onSaved }: { missing: Provider[]; onClose(): void; onSaved(account: ConsoleProviderAccountFragment): void }) {
  return (
    <Dialog
      title={t('providers.add')}
      action={t('common.save')}
      onClose={onClose}
      onSubmit={async (_note, fields) => {
        const provider = String(fields.get('provider')) as Provider;
        let values: unknown;
        try {
          values = JSON.parse(String(fields.get('values') ?? '{}'));
        } catch (error) {
          throw new Error((error as Error).message);
        }
        const saved = unwrap((await request(SetAccount, { provider, values, enabled: true })).setProviderAccount);
        onSaved(saved);
        announce(t('providers.saved', { provider: providerName(provider) }));
      }}
    >
      <label class="field">
        <span>{t('common.provider')}</span>
        <select name="provider">
          {missing.map((provider) => (
            <option key={provider} value={provider}>
              {providerName(provider)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('providers.values')}</span>
        <textarea name="values" rows={6} class="mono" spellcheck={false} defaultValue={'{\n  "baseUrl": "https://"\n}'} />
      </label>
    </Dialog>
  );
}

export function Providers() {
  const query = useQuery(Accounts, {});
  const [editing, setEditing] = useState<ConsoleProviderAccountFragment | 'new'>();
  const accounts = query.data?.providerAccounts ?? [];
  const refreshHealth = async () => {
    try {
      const { providerHealth } = await request(Health, {});
      query.update((data) => ({ ...data, providerHealth }));
    } catch (error) {
      announce(describeError(error), 'error');
    }
  };
  const missing = PROVIDERS.filter((provider) => !accounts.some((account) => account.provider === provider));
  const saved = (account: ConsoleProviderAccountFragment) =>
    query.update((data) => ({ ...data, providerAccounts: [...data.providerAccounts.filter((a) => a.provider !== account.provider), account].sort((a, b) => a.provider.localeCompare(b.provider)) }));

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('providers.title')}</h1>
        {query.data && missing.length > 0 && (
          <button type="button" class="button secondary" onClick={() => setEditing('new')}>
            {t('providers.add')}
          </button>
        )}
      </div>
      <p class="muted">{t('providers.lead')}</p>
      {session.get()?.sandbox && <p class="notice">{t('providers.sandbox')}</p>}
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {query.data && (
        <section class="card" aria-labelledby="health-title">
          <div class="section-head">
            <h2 id="health-title">{t('providers.healthTitle')}</h2>
            <button type="button" class="button small secondary" onClick={() => void refreshHealth()}>
              {t('providers.healthRefresh')}
            </button>
          </div>
          <p class="muted small">{t('providers.healthLead')}</p>
          <HealthTable health={query.data.providerHealth} />
        </section>
      )}
      {query.data && accounts.length === 0 && <p class="muted">{t('providers.none')}</p>}
      <div class="grid-2">
        {accounts.map((account) => (
          <section key={account.provider} class="card provider" data-provider={account.provider} aria-labelledby={`provider-${account.provider}`}>
            <div class="section-head">
              <h2 id={`provider-${account.provider}`}>{providerName(account.provider)}</h2>
              <span class={`badge ${account.enabled ? 'badge-ok' : 'badge-muted'}`}>{account.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</span>
            </div>
            <h3 class="small">{t('providers.settings')}</h3>
            <dl class="facts">
              {Object.entries(account.settings as Record<string, unknown>).map(([name, value]) => (
                <div class="row" key={name}>
                  <dt class="mono">{name}</dt>
                  <dd class="mono wrap">{shown(value)}</dd>
                </div>
              ))}
            </dl>
            <h3 class="small">{t('providers.secrets')}</h3>
            <dl class="facts">
              {account.secrets.map((secret) => (
                <div class="row" key={secret.name} data-secret={secret.name}>
                  <dt class="mono">{secret.name}</dt>
                  <dd>{secret.isSet ? `${t('providers.set')} ${secret.hint ?? ''}` : <span class="muted">{t('providers.notSet')}</span>}</dd>
                </div>
              ))}
            </dl>
            <p class="muted small">
              {t('common.updated')}: <Time at={account.updatedAt} />
            </p>
            <button type="button" class="button secondary" onClick={() => setEditing(account)} aria-label={`${t('providers.edit')}: ${providerName(account.provider)}`}>
              {t('providers.edit')}
            </button>
          </section>
        ))}
      </div>
      {editing === 'new' && <AddDialog missing={missing} onClose={() => setEditing(undefined)} onSaved={saved} />}
      {editing && editing !== 'new' && <EditDialog account={editing} onClose={() => setEditing(undefined)} onSaved={saved} />}
    </>
  );
}
