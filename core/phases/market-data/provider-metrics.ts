/**
 * Provider-level telemetry (SPEC.md h.2 named metrics provider_retry and circuit_state, and
 * each HTTP request). Adapters report ProviderMetric values; a source that can be bound to a
 * run's telemetry exposes `bindProviderMetrics` (the host wraps its Yahoo adapter so), and the
 * engine binds it once per run before the first request. Every metric then goes through
 * recordMetric like any other event (h.1).
 *
 * Metric shapes:
 *   provider_http_request  value = duration (ms); tags provider, symbol, status (HTTP status,
 *                          network_error, timeout, circuit_open); warn for a failed request,
 *                          debug for an answer and for a refusal of the open circuit. Not
 *                          provider_request, which counts symbol ranges asked (fetch-range.ts):
 *                          one range may take several HTTP requests, or none.
 *   provider_retry         value = delay before the retry (ms); tags provider, symbol, attempt, cause
 *   circuit_state          value = null; tags provider, state (closed, open, half_open), cause;
 *                          an opening (warn) and a closing also say in `message` what it means
 *   circuit_refusals       value = the requests the circuit refused (not sent) since its previous
 *                          change of state, reported at its next change (warn); tags provider,
 *                          cause, message. Refusals of a circuit still open when the run ends
 *                          are in the run summary's count (run-summary.ts).
 *
 * Each transition to open is counted once (the run summary's `circuit_opens`), however many
 * refusals follow.
 *
 * When the circuit opens after network errors or timeouts only, the provider is unreachable:
 * the run says so once, clearly, and goes on with the local cache (issue: "no network
 * reachable runs on the cache alone and says so once").
 */
import type { ProfileSource, PriceSource, ProviderMetric, ProviderMetricListener } from '../../ports/market-data';
import type { RunContext } from '../../engine/phase-types';

/** A source whose provider metrics can be sent to a run's telemetry. */
export interface ProviderMetricBinding {
  bindProviderMetrics(listener: ProviderMetricListener | null): void;
}

export function reportsProviderMetrics(source: PriceSource | ProfileSource | null): source is (PriceSource | ProfileSource) & ProviderMetricBinding {
  return source !== null && typeof (source as Partial<ProviderMetricBinding>).bindProviderMetrics === 'function';
}

/** The listener that turns a provider's metrics into this run's `metric` events. */
export function providerMetricListener(run: RunContext): ProviderMetricListener {
  // Per provider: did every HTTP request since the last answer fail at the network level?
  const unreachable = new Map<string, boolean>();
  // Per provider: the requests its circuit refused since its last change of state, and why it opened.
  const refused = new Map<string, { count: number; cause: CircuitCause }>();
  return (m: ProviderMetric) => {
    switch (m.name) {
      case 'provider_http_request': {
        const answered = typeof m.status === 'number';
        if (m.status !== 'circuit_open') unreachable.set(m.provider, !answered);
        else {
          const r = refused.get(m.provider);
          if (r) r.count++;
        }
        run.telemetry.metric('provider_http_request', m.durationMs, {
          unit: 'ms',
          tags: { provider: m.provider, symbol: m.symbol, status: m.status },
          source: 'market_data',
          // A refusal of the open circuit sends nothing: the circuit_state event said it opened.
          level: m.status === 'circuit_open' || (answered && (m.status as number) < 400) ? 'debug' : 'warn',
        });
        return;
      }
      case 'provider_retry':
        run.telemetry.metric('provider_retry', m.delayMs, {
          unit: 'ms',
          tags: { provider: m.provider, symbol: m.symbol, attempt: m.attempt, cause: m.cause },
          source: 'market_data',
          level: 'info',
        });
        return;
      case 'circuit_state': {
        const before = refused.get(m.provider);
        if (before && before.count > 0) reportRefusals(run, m.provider, before.count, before.cause);
        if (m.state === 'closed') refused.delete(m.provider);
        else refused.set(m.provider, { count: 0, cause: m.cause ?? before?.cause ?? 'errors' });
        if (m.state === 'open') run.marketData.circuitOpened();
        const message = circuitMessage(m.provider, m.state, m.cause);
        run.telemetry.metric('circuit_state', null, {
          tags: { provider: m.provider, state: m.state, cause: m.cause, ...(message ? { message } : {}) },
          source: 'market_data',
          level: m.state === 'open' ? 'warn' : 'info',
        });
        if (m.state === 'open' && unreachable.get(m.provider) === true && !run.marketData.unreachableNoticeGiven) {
          run.marketData.unreachableNoticeGiven = true;
          run.telemetry.metric('market_data_mode', null, {
            tags: {
              mode: run.settings['market_data.mode'],
              kind: 'unreachable',
              provider: m.provider,
              message: `${m.provider} cannot be reached (network errors or timeouts): the run goes on with the local price cache alone; prices it lacks are recorded as provider_error`,
            },
            source: 'market_data',
            level: 'warn',
          });
        }
        return;
      }
    }
  };
}

type CircuitCause = NonNullable<Extract<ProviderMetric, { name: 'circuit_state' }>['cause']>;

/** The missing-price reason of the dates a circuit opened for `cause` leaves without a close (e.6). */
const reasonOf = (cause: CircuitCause): string => (cause === 'rate_limited' ? 'rate_limited' : 'provider_error');

/** What an opening or a closing of the circuit means, for the log and the terminal; null for half-open (its refusals are reported then). */
function circuitMessage(provider: string, state: 'closed' | 'open' | 'half_open', cause: CircuitCause | null): string | null {
  if (state === 'closed') return `the ${provider} circuit closed: its trial request was answered, and requests are sent to ${provider} again`;
  if (state === 'half_open') return null;
  const why = cause === 'rate_limited' ? 'rate limiting (HTTP 429)' : 'provider errors';
  return `the ${provider} circuit opened after repeated ${why}: requests to ${provider} are refused without being sent until its cooldown ends, then one trial request goes; dates left without a close are recorded as ${reasonOf(cause ?? 'errors')}`;
}

/** One line for the requests a circuit refused since its previous change of state. */
function reportRefusals(run: RunContext, provider: string, count: number, cause: CircuitCause): void {
  run.telemetry.metric('circuit_refusals', count, {
    unit: 'requests',
    tags: {
      provider,
      cause,
      message: `the open ${provider} circuit refused ${count} request${count === 1 ? '' : 's'} without sending ${count === 1 ? 'it' : 'them'}; their dates without a close are recorded as ${reasonOf(cause)}`,
    },
    source: 'market_data',
    level: 'warn',
  });
}

/** Binds every source of the run that reports provider metrics to the run's telemetry (once). */
export function bindProviderMetrics(run: RunContext): void {
  if (run.marketData.providerMetricsBound) return;
  run.marketData.providerMetricsBound = true;
  const listener = providerMetricListener(run);
  const sources = new Set<PriceSource | ProfileSource>([...run.priceSources, ...(run.profileSource ? [run.profileSource] : [])]);
  for (const s of sources) if (reportsProviderMetrics(s)) s.bindProviderMetrics(listener);
}
