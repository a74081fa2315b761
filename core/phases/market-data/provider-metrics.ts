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
 *   circuit_state          value = null; tags provider, state (closed, open, half_open), cause
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
  return (m: ProviderMetric) => {
    switch (m.name) {
      case 'provider_http_request': {
        const answered = typeof m.status === 'number';
        if (m.status !== 'circuit_open') unreachable.set(m.provider, !answered);
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
      case 'circuit_state':
        if (m.state === 'open') run.marketData.circuitOpened();
        run.telemetry.metric('circuit_state', null, {
          tags: { provider: m.provider, state: m.state, cause: m.cause },
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
  };
}

/** Binds every source of the run that reports provider metrics to the run's telemetry (once). */
export function bindProviderMetrics(run: RunContext): void {
  if (run.marketData.providerMetricsBound) return;
  run.marketData.providerMetricsBound = true;
  const listener = providerMetricListener(run);
  const sources = new Set<PriceSource | ProfileSource>([...run.priceSources, ...(run.profileSource ? [run.profileSource] : [])]);
  for (const s of sources) if (reportsProviderMetrics(s)) s.bindProviderMetrics(listener);
}
