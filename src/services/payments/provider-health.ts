// Health of each provider account (one merchant's account at one provider):
// its recent create calls with their outcome and latency, and a circuit
// breaker (cockatiel) that stops createPayment/createPayout from sending to an
// account that keeps failing, so they fail over at once instead of waiting for
// a timeout each time.
//
// Thresholds (config): CIRCUIT_FAILURE_THRESHOLD consecutive failures open the
// circuit; after CIRCUIT_HALF_OPEN_AFTER_MS one trial call is let through: its
// success closes the circuit, its failure opens it again. A failure is no
// usable answer (timeout, network error, 5xx, an answer the document does not
// allow). A refusal is an answer: the provider is up, it counts as success.
// State is per instance, in memory: each instance learns on its own (a restart
// forgets, which costs at most THRESHOLD calls).
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { ProviderBadResponseError, ProviderUnavailableError } from '../../errors/index.js';
import type { ProviderId } from '../../providers/types.js';
import type { CircuitView } from '../../domain/routing.js';
import { observe } from '../../observability.js';
import { CircuitOpenError } from '../../errors/index.js';

export type CallOutcome = 'success' | 'refused' | 'failure';

/** create: a create sent by createPayment/createPayout (through the circuit) or a provider-specific mutation; status: a status query. */
export type CallOperation = 'create' | 'status';

export interface HealthSample {
  at: Date;
  operation: CallOperation;
  outcome: CallOutcome;
  latencyMs: number;
}

export interface AccountHealth {
  provider: ProviderId;
  circuit: CircuitView;
  /** Until when an open circuit refuses calls. */
  openUntil: Date | null;
  consecutiveFailures: number;
  samples: HealthSample[];
}

/** How many recent calls each account keeps. */
export const HEALTH_SAMPLES = 50;

const isFailure = (error: unknown) => error instanceof ProviderUnavailableError || error instanceof ProviderBadResponseError;

interface Account {
  provider: ProviderId;
  policy: CircuitBreakerPolicy;
  openedAt: number | null;
  consecutiveFailures: number;
  samples: HealthSample[];
}

export class ProviderHealth {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly options: { failureThreshold: number; halfOpenAfterMs: number }) {}

  private account(merchantId: string, provider: ProviderId): Account {
    const key = `${merchantId}:${provider}`;
    let account = this.accounts.get(key);
    if (!account) {
      const policy = circuitBreaker(handleWhen(isFailure), { halfOpenAfter: this.options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.options.failureThreshold) });
      const created: Account = { provider, policy, openedAt: null, consecutiveFailures: 0, samples: [] };
      policy.onBreak(() => {
        // A failed trial call re-opens an open circuit: announced once, when it first opened.
        const wasOpen = created.openedAt !== null;
        created.openedAt = Date.now();
        if (!wasOpen) observe.circuitChange({ provider, state: 'open' });
      });
      policy.onReset(() => {
        created.openedAt = null;
        observe.circuitChange({ provider, state: 'closed' });
      });
      this.accounts.set(key, (account = created));
    }
    return account;
  }

  /** What routing sees: open while the cool-down runs; half-open (one trial allowed) after it. */
  circuit(merchantId: string, provider: ProviderId): CircuitView {
    const account = this.accounts.get(`${merchantId}:${provider}`);
    if (!account || account.policy.state === CircuitState.Closed) return 'closed';
    if (account.policy.state === CircuitState.HalfOpen) return 'half-open';
    return account.openedAt !== null && Date.now() - account.openedAt < this.options.halfOpenAfterMs ? 'open' : 'half-open';
  }

  /** Runs one provider call through the account's circuit, recording its outcome and latency. */
  async run<T>(merchantId: string, provider: ProviderId, call: () => Promise<T>): Promise<T> {
    const account = this.account(merchantId, provider);
    const started = performance.now();
    try {
      // A refusal is an answer: handed through the breaker as a result, so it counts as a success there too.
      const outcome = await account.policy.execute(async () => {
        try {
          return { ok: true as const, value: await call() };
        } catch (error) {
          if (isFailure(error)) throw error;
          return { ok: false as const, error };
        }
      });
      if (!outcome.ok) throw outcome.error;
      this.record(account, 'create', 'success', started);
      return outcome.value;
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(provider, new Date((account.openedAt ?? Date.now()) + this.options.halfOpenAfterMs));
      this.record(account, 'create', isFailure(error) ? 'failure' : 'refused', started);
      throw error;
    }
  }

  /**
   * Records a call made outside the circuit (status queries, the provider-specific
   * creates): it shows in the account's health, but never blocks a call, nor
   * moves the circuit (a poller's failing queries must not stop anything).
   */
  async observe<T>(merchantId: string, provider: ProviderId, operation: CallOperation, call: () => Promise<T>): Promise<T> {
    const account = this.account(merchantId, provider);
    const started = performance.now();
    try {
      const result = await call();
      this.record(account, operation, 'success', started, false);
      return result;
    } catch (error) {
      this.record(account, operation, isFailure(error) ? 'failure' : 'refused', started, false);
      throw error;
    }
  }

  private record(account: Account, operation: CallOperation, outcome: CallOutcome, started: number, throughCircuit = true) {
    const latencyMs = Math.round(performance.now() - started);
    // The count the circuit acts on: calls through it only.
    if (throughCircuit) account.consecutiveFailures = outcome === 'failure' ? account.consecutiveFailures + 1 : 0;
    account.samples.unshift({ at: new Date(), operation, outcome, latencyMs });
    account.samples.length = Math.min(account.samples.length, HEALTH_SAMPLES);
    if (throughCircuit) observe.providerCreate({ provider: account.provider, outcome, seconds: latencyMs / 1000 });
  }

  /** The merchant's accounts this instance has called, newest samples first. */
  describe(merchantId: string): AccountHealth[] {
    const prefix = `${merchantId}:`;
    return [...this.accounts.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, account]) => {
        const circuit = this.circuit(merchantId, account.provider);
        return {
          provider: account.provider,
          circuit,
          openUntil: circuit === 'open' && account.openedAt !== null ? new Date(account.openedAt + this.options.halfOpenAfterMs) : null,
          consecutiveFailures: account.consecutiveFailures,
          samples: [...account.samples],
        };
      })
      .sort((a, b) => a.provider.localeCompare(b.provider));
  }
}
