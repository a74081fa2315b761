import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../market-data/resilience/circuit-breaker';
import {
  CircuitRefusalError,
  ProviderFailureError,
  type ProviderFailure,
  type ProviderFailureKind,
} from '../../../market-data/resilience/provider-failure';
import { resilientCall, type AttemptContext } from '../../../market-data/resilience/resilient-call';
import { circuitBreakerConfigSchema, providerPolicySchema } from '../../../market-data/resilience/retry-policy';
import { fixedRandom } from '../../support/yahoo-mock/test-doubles';
import { VirtualTime } from '../../support/yahoo-mock/virtual-time';

const failure = (kind: ProviderFailureKind, retryAfterMs: number | null = null): ProviderFailure => ({ kind, message: kind, status: null, retryAfterMs });
const classify = (e: unknown): ProviderFailure => (e instanceof ProviderFailureError ? e.failure : failure('invalid_response'));

function setup(policy = providerPolicySchema.parse({})) {
  const time = new VirtualTime();
  const breaker = new CircuitBreaker(policy.circuit, time);
  const deps = { policy, breaker, sleep: time.sleep, random: fixedRandom(0.5) };
  return { time, breaker, deps };
}

/** An attempt that plays the given results in turn (a failure kind throws, 'ok' returns). */
function scripted(results: readonly (ProviderFailureKind | 'ok' | ProviderFailure)[]) {
  let i = 0;
  return async (context: AttemptContext): Promise<string> => {
    context.countRequest();
    const r = results[Math.min(i++, results.length - 1)]!;
    if (r === 'ok') return 'value';
    throw new ProviderFailureError(typeof r === 'string' ? failure(r) : r);
  };
}

const never = new AbortController().signal;

describe('resilientCall (SPEC e.7 retries)', () => {
  it('retries network, timeout, 429 and 5xx with full-jitter backoff, then succeeds', async () => {
    const { deps, time } = setup();
    const r = await resilientCall(deps, { signal: never, classify, attempt: scripted(['network', 'timeout', 'server_error', 'ok']) });
    expect(r).toMatchObject({ status: 'ok', value: 'value', requests: 4, retries: 3 });
    // Provenance: draw 0.5 of ceilings 1 s, 2 s, 4 s.
    expect(time.sleeps).toEqual([500, 1_000, 2_000]);
  });

  it('gives up after max_retries and reports the last failure', async () => {
    const { deps } = setup();
    const r = await resilientCall(deps, { signal: never, classify, attempt: scripted(['rate_limited']) });
    expect(r).toMatchObject({ status: 'failed', failure: { kind: 'rate_limited' }, requests: 4, retries: 3 });
  });

  it.each(['not_found', 'module_unavailable', 'invalid_response', 'http_error'] as const)('does not retry %s', async (kind) => {
    const { deps, time } = setup();
    const r = await resilientCall(deps, { signal: never, classify, attempt: scripted([kind, 'ok']) });
    expect(r).toMatchObject({ status: 'failed', failure: { kind }, requests: 1, retries: 0 });
    expect(time.sleeps).toEqual([]);
  });

  it('waits for Retry-After when it is longer than the backoff, capped at the Retry-After cap', async () => {
    const { deps, time } = setup();
    const r = await resilientCall(deps, {
      signal: never,
      classify,
      attempt: scripted([failure('rate_limited', 7_000), failure('rate_limited', 100), failure('server_error', 900_000), 'ok']),
    });
    expect(r.status).toBe('ok');
    expect(time.sleeps).toEqual([7_000, 1_000, 120_000]);
  });

  it('reports each retry', async () => {
    const { deps } = setup();
    const notices: [number, number, string][] = [];
    await resilientCall(deps, {
      signal: never,
      classify,
      attempt: scripted(['timeout', 'ok']),
      onRetry: (n) => void notices.push([n.attempt, n.delayMs, n.failure.kind]),
    });
    expect(notices).toEqual([[1, 500, 'timeout']]);
  });

  it('not-found is a healthy answer for the breaker; provider errors count against it', async () => {
    const { deps, breaker } = setup();
    for (let i = 0; i < 6; i += 1) await resilientCall(deps, { signal: never, classify, attempt: scripted(['not_found']) });
    expect(breaker.snapshot().state).toBe('closed');
    for (let i = 0; i < 5; i += 1) await resilientCall(deps, { signal: never, classify, attempt: scripted(['invalid_response']) });
    expect(breaker.snapshot().state).toBe('open');
    const refused = await resilientCall(deps, { signal: never, classify, attempt: scripted(['ok']) });
    expect(refused).toMatchObject({ status: 'refused', cause: 'errors', requests: 0, retries: 0 });
  });

  it('stops retrying when the circuit opened meanwhile', async () => {
    const policy = providerPolicySchema.parse({ circuit: circuitBreakerConfigSchema.parse({ consecutiveFailures: 1 }) });
    const { deps, breaker } = setup(policy);
    let other: Promise<unknown> | null = null;
    const r = await resilientCall(deps, {
      signal: never,
      classify,
      attempt: async (context) => {
        context.countRequest();
        // Another request fails first and opens the circuit.
        other ??= resilientCall(deps, { signal: never, classify, attempt: scripted(['invalid_response']) });
        await other;
        throw new ProviderFailureError(failure('server_error'));
      },
    });
    expect(breaker.snapshot().state).toBe('open');
    expect(r).toMatchObject({ status: 'failed', failure: { kind: 'server_error' }, requests: 1, retries: 0 });
  });

  it('does not retry a half-open trial: its failure re-opens the circuit at once', async () => {
    const { deps, breaker, time } = setup();
    for (let i = 0; i < 5; i += 1) await resilientCall(deps, { signal: never, classify, attempt: scripted(['invalid_response']) });
    time.advance(60_000);
    const trial = await resilientCall(deps, { signal: never, classify, attempt: scripted(['server_error', 'ok']) });
    expect(trial).toMatchObject({ status: 'failed', requests: 1, retries: 0 });
    expect(breaker.snapshot()).toMatchObject({ state: 'open', cooldownMs: 120_000 });
  });

  it('a CircuitRefusalError from the HTTP layer becomes a refusal', async () => {
    const { deps } = setup();
    const r = await resilientCall(deps, {
      signal: never,
      classify,
      attempt: async () => {
        throw new CircuitRefusalError('rate_limited', 1234);
      },
    });
    expect(r).toMatchObject({ status: 'refused', cause: 'rate_limited', retryInMs: 1234 });
  });

  it('cancellation rejects with the abort reason, during a wait or before the start', async () => {
    const { deps, breaker } = setup();
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    const pending = resilientCall(deps, {
      signal: controller.signal,
      classify,
      attempt: async (context) => {
        context.countRequest();
        queueMicrotask(() => controller.abort(reason));
        throw new ProviderFailureError(failure('server_error'));
      },
    });
    await expect(pending).rejects.toBe(reason);
    await expect(resilientCall(deps, { signal: controller.signal, classify, attempt: scripted(['ok']) })).rejects.toBe(reason);
    expect(breaker.snapshot().window).toEqual([]);
  });
});
