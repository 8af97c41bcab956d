// Provider accounts: settings in clear, secrets write-only (whether set, and
// the last characters of long ones). Editing sends every setting back and only
// the secrets typed; an empty secret keeps the stored one.
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleProviderAccountFragment, Provider } from '../gql/graphql.js';
import { request, unwrap } from '../api.js';
import { useQuery } from '../hooks.js';
import { translate as t } from '../i18n.js';
import { announce } from '../ui/announce.js';
import { Dialog } from '../ui/dialog.js';
import { Time, providerName } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';
import { session } from '../session.js';
import { PROVIDERS } from './orders.js';

graphql(`
  fragment ConsoleProviderAccount on ProviderAccount {
    provider enabled settings updatedAt
    secrets { name isSet hint }
  }
`);

const Accounts = graphql(`
  query ConsoleProviderAccounts {
    providerAccounts { ...ConsoleProviderAccount }
  }
`);

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
  const missing = PROVIDERS.filter((provider) => !accounts.some((account) => account.provider === provider));
  const saved = (account: ConsoleProviderAccountFragment) =>
    query.update((data) => ({ providerAccounts: [...data.providerAccounts.filter((a) => a.provider !== account.provider), account].sort((a, b) => a.provider.localeCompare(b.provider)) }));

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
