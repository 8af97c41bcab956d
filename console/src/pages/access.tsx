// The shop's API keys, console sessions included (each named after its
// operator): when made, until when, revoked or not; revoke one here.
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import { request, unwrap } from '../api.js';
import { useQuery } from '../hooks.js';
import { translate as t } from '../i18n.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { refreshKeyNames } from '../ui/actor.js';
import { announce } from '../ui/announce.js';
import { Dialog } from '../ui/dialog.js';
import { Time } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';

const Keys = graphql(`
  query ConsoleApiKeys {
    merchant { apiKeys { id name prefix createdAt expiresAt revokedAt } }
  }
`);

const Revoke = graphql(`
  mutation ConsoleRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on MutationRevokeApiKeySuccess { data { id revokedAt } }
      ... on Error { message }
    }
  }
`);

export function Access() {
  const query = useQuery(Keys, {});
  const current = useStore(session);
  const [revoking, setRevoking] = useState<{ id: string; name: string }>();
  const keys = [...(query.data?.merchant.apiKeys ?? [])].reverse();
  const state = (key: (typeof keys)[number]) => (key.revokedAt ? 'revoked' : key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now() ? 'expired' : 'active');

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('access.title')}</h1>
      </div>
      <p class="muted">{t('access.lead')}</p>
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {keys.length > 0 && (
        <table class="table responsive" id="api-keys">
          <caption class="visually-hidden">{t('access.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('access.name')}</th>
              <th scope="col">{t('access.prefix')}</th>
              <th scope="col">{t('common.created')}</th>
              <th scope="col">{t('access.expires')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('access.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} data-key-id={key.id}>
                <td data-label={t('access.name')}>
                  {key.name} {key.id === current?.keyId && <span class="badge badge-ok">{t('access.thisSession')}</span>}
                </td>
                <td data-label={t('access.prefix')} class="mono">
                  {key.prefix}…
                </td>
                <td data-label={t('common.created')}>
                  <Time at={key.createdAt} />
                </td>
                <td data-label={t('access.expires')}>
                  <Time at={key.expiresAt} />
                </td>
                <td data-label={t('common.status')}>
                  <span class={`badge ${state(key) === 'active' ? 'badge-ok' : 'badge-muted'}`}>{t(`access.${state(key)}`)}</span>
                </td>
                <td>
                  {state(key) === 'active' && key.id !== current?.keyId && (
                    <button type="button" class="button small danger" onClick={() => setRevoking(key)} aria-label={`${t('access.revoke')}: ${key.name}`}>
                      {t('access.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <Dialog
          title={t('access.revoke')}
          action={t('access.revoke')}
          danger
          onClose={() => setRevoking(undefined)}
          onSubmit={async () => {
            unwrap((await request(Revoke, { id: revoking.id })).revokeApiKey);
            announce(t('access.revokedDone'));
            refreshKeyNames();
            await query.reload();
          }}
        >
          <p>{t('access.revokeConfirm', { name: revoking.name })}</p>
        </Dialog>
      )}
    </>
  );
}
