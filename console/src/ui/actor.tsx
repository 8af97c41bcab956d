// Who did it, in words: "console session (Lan)" for an API key of the shop,
// "provider callback" for a provider's call, "worker" for our own workers.
import { useEffect } from 'preact/hooks';
import { request } from '../api.js';
import { graphql } from '../gql/index.js';
import { translate as t } from '../i18n.js';
import { createStore, useStore } from '../store.js';

const KeyNames = graphql(`
  query ConsoleKeyNames {
    merchant { apiKeys { id name prefix } }
  }
`);

const names = createStore<Map<string, string> | null>(null);
let loading = false;

/** Forgets the names (a key was created or revoked). */
export const refreshKeyNames = () => {
  loading = false;
  names.set(null);
};

function useKeyNames() {
  const known = useStore(names);
  useEffect(() => {
    if (known || loading) return;
    loading = true;
    request(KeyNames, {})
      .then((data) => names.set(new Map(data.merchant.apiKeys.map((key) => [key.id, `${key.name} (${key.prefix}…)`]))))
      .catch(() => (loading = false));
  }, [known]);
  return known;
}

export function describeActor(actor: string, keys: Map<string, string> | null): string {
  const [kind, rest = ''] = actor.split(/:(.*)/s);
  switch (kind) {
    case 'api-key':
      return keys?.get(rest) ?? actor;
    case 'callback':
      return `${t('actor.callback')} (${rest})`;
    case 'worker':
      return `${t('actor.worker')}: ${rest}`;
    case 'cli':
      return `${t('actor.cli')} (${rest})`;
    default:
      return actor;
  }
}

export function Actor({ actor }: { actor: string | null | undefined }) {
  const keys = useKeyNames();
  if (!actor) return <span>{t('common.none')}</span>;
  return <span title={actor}>{describeActor(actor, keys)}</span>;
}
