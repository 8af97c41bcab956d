// Webhook endpoints: add one (its secret shown once), send a test, rotate the
// secret, disable or enable; and each endpoint's delivery log with every
// attempt, the body sent and a way to send it again.
import { useState } from 'preact/hooks';
import { graphql } from '../gql/index.js';
import type { ConsoleEndpointFragment, ConsoleWebhookDeliveryQuery, WebhookEventType } from '../gql/graphql.js';
import { request, unwrap } from '../api.js';
import { usePolling, useQuery } from '../hooks.js';
import { translate as t } from '../i18n.js';
import { navigate, useLocation, withQuery } from '../router.js';
import { announce } from '../ui/announce.js';
import { CopyButton } from '../ui/copy.js';
import { Dialog, describeError } from '../ui/dialog.js';
import { StatusBadge, Time } from '../ui/format.js';
import { Failed, Loading } from '../ui/states.js';

graphql(`
  fragment ConsoleEndpoint on WebhookEndpoint {
    id url description eventTypes enabled disabledReason failingSince lastFailure secretHint previousSecretExpiresAt createdAt
  }
`);

const Endpoints = graphql(`
  query ConsoleWebhookEndpoints {
    webhookEndpoints { ...ConsoleEndpoint }
  }
`);

const Deliveries = graphql(`
  query ConsoleWebhookDeliveries($id: ID!) {
    webhookEndpoint(id: $id) {
      id
      deliveries(first: 25) {
        edges { node { id eventType eventId status attemptCount lastResponseStatus lastError createdAt deliveredAt nextAttemptAt } }
      }
    }
  }
`);

const DeliveryDetail = graphql(`
  query ConsoleWebhookDelivery($id: ID!) {
    webhookDelivery(id: $id) {
      id payload
      attempts { number responseStatus responseBody durationMs error startedAt nextAttemptAt }
    }
  }
`);

const CreateEndpoint = graphql(`
  mutation ConsoleCreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      __typename
      ... on MutationCreateWebhookEndpointSuccess { data { secret endpoint { ...ConsoleEndpoint } } }
      ... on Error { message }
      ... on ValidationError { field }
    }
  }
`);

const SendTest = graphql(`
  mutation ConsoleSendTestWebhook($id: ID!) {
    sendTestWebhook(endpointId: $id) {
      __typename
      ... on MutationSendTestWebhookSuccess { data { id status } }
      ... on Error { message }
    }
  }
`);

const Rotate = graphql(`
  mutation ConsoleRotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      __typename
      ... on MutationRotateWebhookSecretSuccess { data { secret endpoint { ...ConsoleEndpoint } } }
      ... on Error { message }
    }
  }
`);

const Disable = graphql(`
  mutation ConsoleDisableWebhookEndpoint($id: ID!) {
    disableWebhookEndpoint(id: $id) {
      __typename
      ... on MutationDisableWebhookEndpointSuccess { data { ...ConsoleEndpoint } }
      ... on Error { message }
    }
  }
`);

const Enable = graphql(`
  mutation ConsoleEnableWebhookEndpoint($id: ID!) {
    updateWebhookEndpoint(id: $id, input: { enabled: true }) {
      __typename
      ... on MutationUpdateWebhookEndpointSuccess { data { ...ConsoleEndpoint } }
      ... on Error { message }
    }
  }
`);

const Redeliver = graphql(`
  mutation ConsoleRedeliverWebhook($id: ID!) {
    redeliverWebhook(deliveryId: $id) {
      __typename
      ... on MutationRedeliverWebhookSuccess { data { id status } }
      ... on Error { message }
    }
  }
`);

const EVENT_TYPES: WebhookEventType[] = [
  'ORDER_CREATED',
  'ORDER_UPDATED',
  'ORDER_SUCCEEDED',
  'ORDER_FAILED',
  'ORDER_EXPIRED',
  'ORDER_NEEDS_REVIEW',
  'CARD_CHARGE_UPDATED',
  'BANK_TRANSACTION_RECEIVED',
  'BANK_TRANSACTION_MATCHED',
  'REVIEW_OPENED',
  'REVIEW_RESOLVED',
];

/** ORDER_NEEDS_REVIEW → "order.needs_review", as the webhook's type reads. */
export function eventTypeName(type: string): string {
  const object = ['BANK_TRANSACTION', 'CARD_CHARGE', 'ORDER', 'REVIEW'].find((prefix) => type.startsWith(`${prefix}_`));
  return object ? `${object.toLowerCase()}.${type.slice(object.length + 1).toLowerCase()}` : type;
}

function SecretOnce({ secret, onDismiss }: { secret: string; onDismiss(): void }) {
  return (
    <div class="notice notice-warn secret" role="alert">
      <p>{t('webhooks.secretOnce')}</p>
      <p>
        <code id="webhook-secret">{secret}</code> <CopyButton value={secret} label="secret" />
      </p>
      <button type="button" class="button small secondary" onClick={onDismiss}>
        {t('common.done')}
      </button>
    </div>
  );
}

function DeliveryRow({ delivery, onRedelivered }: { delivery: { id: string; eventType: string; status: string; attemptCount: number; lastResponseStatus?: number | null; lastError?: string | null; createdAt: string }; onRedelivered(): void }) {
  const [detail, setDetail] = useState<ConsoleWebhookDeliveryQuery['webhookDelivery']>();
  return (
    <li class="delivery" data-delivery-id={delivery.id} data-status={delivery.status}>
      <div class="delivery-head">
        <span class="mono">{delivery.eventType}</span> <StatusBadge status={delivery.status} prefix="delivery" />
        <span class="muted small">
          <Time at={delivery.createdAt} seconds /> · {t('webhooks.attempts')}: {delivery.attemptCount}
          {delivery.lastResponseStatus != null && ` · HTTP ${delivery.lastResponseStatus}`}
          {delivery.lastError && ` · ${delivery.lastError}`}
        </span>
        <button
          type="button"
          class="button small secondary"
          onClick={async () => {
            try {
              unwrap((await request(Redeliver, { id: delivery.id })).redeliverWebhook);
              announce(t('webhooks.redelivered'));
              onRedelivered();
            } catch (error) {
              announce(describeError(error), 'error');
            }
          }}
        >
          {t('webhooks.redeliver')}
        </button>
      </div>
      <details
        onToggle={async (event) => {
          if ((event.currentTarget as HTMLDetailsElement).open) setDetail((await request(DeliveryDetail, { id: delivery.id })).webhookDelivery);
        }}
      >
        <summary>{t('common.details')}</summary>
        {detail && (
          <>
            <ul class="plain small">
              {detail.attempts.map((attempt) => (
                <li key={attempt.number}>
                  {t('webhooks.attempt', { n: attempt.number, result: attempt.responseStatus != null ? `HTTP ${attempt.responseStatus}` : (attempt.error ?? '—'), ms: attempt.durationMs })} · <Time at={attempt.startedAt} seconds />
                  {attempt.responseBody && <pre class="payload">{attempt.responseBody}</pre>}
                </li>
              ))}
            </ul>
            <p class="small">{t('webhooks.payload')}</p>
            <pre class="payload">{JSON.stringify(detail.payload, null, 2)}</pre>
          </>
        )}
      </details>
    </li>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const query = useQuery(Deliveries, { id: endpointId });
  const deliveries = query.data?.webhookEndpoint?.deliveries.edges.map((edge) => edge.node) ?? [];
  // A delivery on its way settles within seconds: look again until none is pending.
  usePolling(query.reload, 1500, deliveries.some((delivery) => delivery.status === 'PENDING'));
  return (
    <section class="delivery-log" aria-label={t('webhooks.deliveries')}>
      <h3>{t('webhooks.deliveries')}</h3>
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {query.data && deliveries.length === 0 && <p class="muted">{t('webhooks.noDeliveries')}</p>}
      <ul class="plain deliveries">
        {deliveries.map((delivery) => (
          <DeliveryRow key={delivery.id} delivery={delivery} onRedelivered={query.reload} />
        ))}
      </ul>
    </section>
  );
}

export function Webhooks() {
  const location = useLocation();
  const shown = location.query.get('endpoint');
  const query = useQuery(Endpoints, {});
  const [secret, setSecret] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [rotating, setRotating] = useState<ConsoleEndpointFragment>();
  const [logVersion, setLogVersion] = useState(0);

  const replace = (endpoint: ConsoleEndpointFragment) => query.update((data) => ({ webhookEndpoints: data.webhookEndpoints.map((e) => (e.id === endpoint.id ? endpoint : e)) }));

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const eventTypes = fields.getAll('eventTypes') as WebhookEventType[];
    setFormError(undefined);
    try {
      const created = unwrap(
        (await request(CreateEndpoint, { input: { url: String(fields.get('url') ?? '').trim(), eventTypes, description: String(fields.get('description') ?? '').trim() || undefined } })).createWebhookEndpoint,
      );
      setSecret(created.secret);
      query.update((data) => ({ webhookEndpoints: [...data.webhookEndpoints, created.endpoint] }));
      form.reset();
      navigate(withQuery(location, { endpoint: created.endpoint.id }), { replace: true });
    } catch (error) {
      setFormError(describeError(error));
    }
  }

  async function act(run: () => Promise<void>) {
    try {
      await run();
    } catch (error) {
      announce(describeError(error), 'error');
    }
  }

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{t('webhooks.title')}</h1>
      </div>
      <p class="muted">{t('webhooks.lead')}</p>
      {secret && <SecretOnce secret={secret} onDismiss={() => setSecret(undefined)} />}
      <details class="card" open={query.data?.webhookEndpoints.length === 0}>
        <summary class="h2">{t('webhooks.add')}</summary>
        <form onSubmit={create} class="stack" id="add-endpoint">
          <label class="field">
            <span>{t('webhooks.url')}</span>
            <input name="url" type="url" required placeholder="https://shop.example/hooks/paygraph" />
          </label>
          <label class="field">
            <span>{t('webhooks.descriptionField')}</span>
            <input name="description" type="text" maxLength={200} />
          </label>
          <fieldset class="checkboxes">
            <legend>{t('webhooks.events')}</legend>
            {EVENT_TYPES.map((type) => (
              <label key={type}>
                <input type="checkbox" name="eventTypes" value={type} defaultChecked={type.startsWith('ORDER_')} /> <span class="mono">{eventTypeName(type)}</span>
              </label>
            ))}
          </fieldset>
          {formError && (
            <p class="form-error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" class="button primary">
            {t('webhooks.create')}
          </button>
        </form>
      </details>
      {query.error && <Failed error={query.error} retry={query.reload} />}
      {!query.data && !query.error && <Loading />}
      {query.data && query.data.webhookEndpoints.length === 0 && <p class="muted">{t('webhooks.none')}</p>}
      <ul class="plain endpoints">
        {query.data?.webhookEndpoints.map((endpoint) => (
          <li key={endpoint.id} class="card endpoint" data-endpoint-id={endpoint.id}>
            <div class="endpoint-head">
              <h2 class="mono wrap">{endpoint.url}</h2>
              <span class={`badge ${endpoint.enabled ? 'badge-ok' : 'badge-muted'}`}>{endpoint.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</span>
            </div>
            {endpoint.description && <p>{endpoint.description}</p>}
            <p class="small">
              {endpoint.eventTypes.map((type) => (
                <span key={type} class="tag mono">
                  {eventTypeName(type)}
                </span>
              ))}
            </p>
            <p class="muted small">
              {t('webhooks.secretHint', { hint: endpoint.secretHint.replace(/^…/, '') })}
              {endpoint.failingSince && (
                <>
                  {' · '}
                  <span class="text-bad">
                    {t('webhooks.failingSince')}{' '}
                    <Time at={endpoint.failingSince} />
                  </span>
                </>
              )}
              {endpoint.disabledReason && <> · {endpoint.disabledReason}</>}
            </p>
            <div class="actions">
              <button
                type="button"
                class="button secondary"
                onClick={() =>
                  act(async () => {
                    unwrap((await request(SendTest, { id: endpoint.id })).sendTestWebhook);
                    announce(t('webhooks.testSent'));
                    setLogVersion((n) => n + 1);
                    if (shown !== endpoint.id) navigate(withQuery(location, { endpoint: endpoint.id }), { replace: true });
                  })
                }
              >
                {t('webhooks.test')}
              </button>
              <button type="button" class="button secondary" onClick={() => setRotating(endpoint)}>
                {t('webhooks.rotate')}
              </button>
              {endpoint.enabled ? (
                <button type="button" class="button secondary" onClick={() => act(async () => replace(unwrap((await request(Disable, { id: endpoint.id })).disableWebhookEndpoint)))}>
                  {t('webhooks.disable')}
                </button>
              ) : (
                <button type="button" class="button secondary" onClick={() => act(async () => replace(unwrap((await request(Enable, { id: endpoint.id })).updateWebhookEndpoint)))}>
                  {t('webhooks.enable')}
                </button>
              )}
              <button
                type="button"
                class="button secondary"
                aria-expanded={shown === endpoint.id ? 'true' : 'false'}
                onClick={() => navigate(withQuery(location, { endpoint: shown === endpoint.id ? null : endpoint.id }), { replace: true })}
              >
                {t('webhooks.showDeliveries')}
              </button>
            </div>
            {shown === endpoint.id && <DeliveryLog key={`${endpoint.id}:${logVersion}`} endpointId={endpoint.id} />}
          </li>
        ))}
      </ul>
      {rotating && (
        <Dialog
          title={t('webhooks.rotate')}
          action={t('webhooks.rotate')}
          onClose={() => setRotating(undefined)}
          onSubmit={async () => {
            const rotated = unwrap((await request(Rotate, { id: rotating.id })).rotateWebhookSecret);
            replace(rotated.endpoint);
            setSecret(rotated.secret);
          }}
        >
          <p>{t('webhooks.rotateConfirm')}</p>
          <p class="mono wrap">{rotating.url}</p>
        </Dialog>
      )}
    </>
  );
}
