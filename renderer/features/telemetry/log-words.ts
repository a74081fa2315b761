/**
 * The event log's words (SPEC.md h.7: the log tail is the human form of the events): one line
 * per telemetry event (h.2). The run's lifecycle reads as its steps: a phase started or ended,
 * a date's and the run's result. Each metric the engine and the hosts emit reads as a sentence
 * after its name: counts with thousands separators, durations in ms or s, ratios as
 * percentages, a portfolio as the first 8 characters of its id with its name when the log
 * knows it. The name stays in front, so the log's "Contains" filter finds a metric by it (and
 * the Data screen its import lines). A metric not worded here, or whose tags lack what its
 * sentence is made of, keeps the raw `name=value tag=value` form: nothing is lost.
 *
 * The CLI words some of these metrics for its progress lines (cli/telemetry/progress-sink.ts)
 * in its own layout, with its own flags and unformatted numbers; what both hosts say alike is
 * written once, in core/api/metric-text.ts (a flagged close, a bad CSV row) or by the engine in
 * the event's `message` tag (the offline notices, conflicting or misnamed CSV files, the requests
 * an open circuit refused).
 */
import { z } from 'zod';
import { csvBadRowText, priceFlagText } from '../../../core/api/metric-text';
import { DATABASE_REPLACED_METRIC, type EventPayload, type TelemetryEvent } from '../../../core/api/telemetry-events';
import { fmtBytes, fmtInt, fmtPct } from '../../ui/format';
import { reasonTitle, reasonWords } from './reason-words';
import { codeWords, durationText, jobOutcomeWord, wordOf } from './metric-format';

/** Portfolio names by id, as the screen knows them; empty when it knows none. */
export type PortfolioNames = ReadonlyMap<string, string>;

const NO_NAMES: PortfolioNames = new Map();

type Metric = EventPayload<'metric'>;

/** A metric's sentence, or null when the metric lacks what the sentence is made of. */
type Wording = (m: Metric, names: PortfolioNames) => string | null;

/** A portfolio as the log names it: "1d8ddd95 (Growth Fund)", or "1d8ddd95" while its name is unknown. */
export function portfolioLabel(id: string, names: PortfolioNames): string {
  const name = names.get(id);
  return name ? `${id.slice(0, 8)} (${name})` : id.slice(0, 8);
}

/** "1 date", "1,204 dates"; `plural` for the irregular ones ("retries"). */
function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${fmtInt(n)} ${n === 1 ? noun : plural}`;
}

/** A range of dates: one date alone, else "2025-07-01 .. 2025-07-07". */
function span(from: string, to: string): string {
  return from === to ? from : `${from} .. ${to}`;
}

/** The first five items, then how many more: "AAPL, MSFT, NVDA, TSLA, ZM and 3 more". */
function listed(items: readonly string[]): string {
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown} and ${fmtInt(items.length - 5)} more` : shown;
}

/** Statuses counted, in the order they first came: "4 success, 1 partial". */
function tally(statuses: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${fmtInt(n)} ${codeWords(s)}`).join(', ');
}

/** A wording made from the metric's tags as `schema` reads them; tags that do not fit leave the raw form. */
function fromTags<S extends z.ZodType>(schema: S, word: (tags: z.infer<S>, m: Metric, names: PortfolioNames) => string | null): Wording {
  return (m, names) => {
    const tags = schema.safeParse(m.tags);
    return tags.success ? word(tags.data, m, names) : null;
  };
}

const text = z.string();
const num = z.number();

/** The outcome of a symbol range asked of a price source (core/ports/market-data.ts FetchOutcome). */
const OUTCOMES: Readonly<Record<string, string>> = { ok: 'answered', no_data: 'no data', rate_limited: 'rate limited', provider_error: 'provider error', invalid: 'only invalid closes' };

/** What a provider request is retried after (the retryable failure kinds of market-data/resilience). */
const RETRY_CAUSES: Readonly<Record<string, string>> = { network: 'a network error', timeout: 'a timeout', rate_limited: 'rate limiting', server_error: 'a server error' };

/** Why a provider's circuit opened. */
const CIRCUIT_CAUSES: Readonly<Record<string, string>> = { rate_limited: 'rate limited', errors: 'repeated errors' };

/** A circuit's new state and what it means for the requests. */
const CIRCUIT_STATES: Readonly<Record<string, string>> = {
  open: 'opened',
  half_open: 'is half open: one trial request goes through',
  closed: 'closed: requests go through again',
};

/** What replaced the database (core/api/telemetry-events.ts DATABASE_REPLACED_METRIC's cause). */
const REPLACED_BY: Readonly<Record<string, string>> = { restore: 'by a restore', import: 'by an import', other_process: 'by another process (a restore or an import from a terminal)' };

const GUARD_STATUSES: Readonly<Record<string, string>> = { pass: 'passed', fail: 'failed' };

const GATE_STATES: Readonly<Record<string, string>> = { open: 'opened', closed: 'closed' };

/** A step of a restore or a purge (host/maintenance/step-events.ts): value, its number from 1; tags.steps, every step's words. */
const stepWords = fromTags(z.object({ steps: z.array(text).min(1) }), (t, m) => {
  if (m.value === null) return null;
  const words = t.steps[m.value - 1];
  return words === undefined ? null : `step ${fmtInt(m.value)} of ${fmtInt(t.steps.length)}: ${words}`;
});

/** The message the engine wrote in the tags, as it is (the CLI prints it too). */
const messageWords = fromTags(z.object({ message: text }), (t) => t.message);

/** Each metric's sentence, by metric name (SPEC.md h.2's named metrics and the ones the hosts add). */
const WORDINGS: ReadonlyMap<string, Wording> = new Map<string, Wording>(
  Object.entries({
    heartbeat: () => 'the run is alive: it wrote its lock heartbeat',
    market_data_mode: messageWords,
    csv_conflict: messageWords,
    csv_ignored_file: messageWords,
    circuit_refusals: messageWords,
    price_validation_flag: (m) => priceFlagText(m.tags, m.date),
    csv_bad_row: (m) => csvBadRowText(m.tags),
    fetch_plan: fromTags(z.object({ symbols: num, requested_days: num, fetch_mode: text, sources: z.array(text), chunk_index: num, chunk_count: num, last_date: text.nullable() }), (t, m) => {
      const ranges = m.value ?? 0;
      const asked = `${count(ranges, 'range')} (${count(t.requested_days, 'day')})`;
      // Offline the chain is the CSV folder or nothing: its ranges are read from files, or stay missing.
      const offline = t.sources.every((s) => s === 'csv');
      const fetches =
        ranges === 0
          ? 'nothing to fetch'
          : t.sources.length === 0
            ? `${asked} missing from the cache, not fetched (offline)`
            : offline
              ? `${asked} to read from the CSV folder`
              : `${count(ranges, 'range')} to fetch (${count(t.requested_days, 'day')}) from ${t.sources.join(', ')}`;
      const dates = m.date ? ` (${span(m.date, t.last_date ?? m.date)})` : '';
      return `chunk ${fmtInt(t.chunk_index + 1)} of ${fmtInt(t.chunk_count)}${dates}: ${count(t.symbols, 'symbol')}, ${fetches}; fetch mode ${codeWords(t.fetch_mode)}`;
    }),
    provider_request: fromTags(z.object({ symbol: text, provider: text, outcome: text, start: text, end: text, rows: num, http_requests: num, retries: num }), (t) => {
      const retries = t.retries === 0 ? 'no retry' : count(t.retries, 'retry', 'retries');
      return `${t.symbol} ${span(t.start, t.end)} from ${t.provider}: ${wordOf(OUTCOMES, t.outcome) ?? codeWords(t.outcome)}, ${count(t.rows, 'valid close')}, ${count(t.http_requests, 'HTTP request')}, ${retries}`;
    }),
    provider_http_request: fromTags(z.object({ provider: text, symbol: text, status: z.union([num, text]) }), (t, m) => {
      const took = m.value === null ? '' : ` after ${durationText(m.value)}`;
      if (typeof t.status === 'number') return `${t.provider} answered HTTP ${t.status} for ${t.symbol}${m.value === null ? '' : ` in ${durationText(m.value)}`}`;
      if (t.status === 'circuit_open') return `${t.provider} request for ${t.symbol} not sent: the circuit is open`;
      if (t.status === 'timeout') return `${t.provider} request for ${t.symbol} timed out${took}`;
      return `${t.provider} request for ${t.symbol} failed: ${codeWords(t.status)}${took}`;
    }),
    provider_retry: fromTags(z.object({ provider: text, symbol: text, attempt: num, cause: text }), (t, m) => {
      const wait = m.value === null ? '' : ` in ${durationText(m.value)}`;
      return `retry ${fmtInt(t.attempt)} of the ${t.provider} request for ${t.symbol}${wait}, after ${wordOf(RETRY_CAUSES, t.cause) ?? codeWords(t.cause)}`;
    }),
    circuit_state: fromTags(z.object({ provider: text, state: text, cause: text.nullable().optional() }), (t) => {
      const cause = t.state === 'open' && t.cause ? ` (${wordOf(CIRCUIT_CAUSES, t.cause) ?? codeWords(t.cause)})` : '';
      const waits = t.state === 'open' ? ': requests to it wait until it half-opens' : '';
      return `the ${t.provider} circuit ${wordOf(CIRCUIT_STATES, t.state) ?? `is ${codeWords(t.state)}`}${cause}${waits}`;
    }),
    chunk_result: fromTags(z.object({ index: num, first_date: text, last_date: text, statuses: z.array(text), duration_ms: num, missing_price_count: num }), (t) => {
      const dates = t.statuses.length ? `${count(t.statuses.length, 'date')} (${tally(t.statuses)})` : 'no date';
      return `chunk ${fmtInt(t.index + 1)} (${span(t.first_date, t.last_date)}) done in ${durationText(t.duration_ms)}: ${dates}, ${count(t.missing_price_count, 'missing price')}`;
    }),
    insufficient_coverage: fromTags(z.object({ total_positions: num, positions_skipped: num, missing_ratio: num, threshold: num, symbols: z.array(text) }), (t, m, names) => {
      if (m.portfolio_id === null) return null;
      const unmarked = t.symbols.length ? `; unmarked: ${listed(t.symbols)}` : '';
      return `${m.date ? `${m.date} ` : ''}analytics skipped for ${portfolioLabel(m.portfolio_id, names)}: no mark for ${fmtInt(t.positions_skipped)} of ${count(t.total_positions, 'position')} (${fmtPct(t.missing_ratio)}), above the ${fmtPct(t.threshold)} limit${unmarked}`;
    }),
    analytics_job_result: fromTags(z.object({ job: text, success: z.boolean(), reason: text.nullable().optional() }), (t, m, names) => {
      if (m.portfolio_id === null) return null;
      const outcome = jobOutcomeWord(t);
      const why = outcome !== 'success' && t.reason ? `, ${reasonTitle(t.reason)}` : '';
      const took = m.value === null ? '' : `${why ? ',' : ''} in ${durationText(m.value)}`;
      return `${m.date ? `${m.date} ` : ''}${codeWords(t.job)} for ${portfolioLabel(m.portfolio_id, names)}: ${outcome}${why}${took}`;
    }),
    stale_marked: fromTags(z.object({ from: text, to: text, after: text }), (t, m, names) => {
      if (m.portfolio_id === null || m.value === null) return null;
      const one = m.value === 1;
      return `${count(m.value, 'later date')} of ${portfolioLabel(m.portfolio_id, names)} ${one ? 'is' : 'are'} now stale (${span(t.from, t.to)}): its marks or snapshots of ${t.after} changed; re-run ${one ? 'it' : 'them'}, or run with "retry failed phases only"`;
    }),
    guard_result: fromTags(z.object({ status: text }), (t, m) => `the post-run guard ${wordOf(GUARD_STATUSES, t.status) ?? `ended ${codeWords(t.status)}`}: ${m.value ? count(m.value, 'finding') : 'no findings'}`),
    gate_changed: fromTags(z.object({ state: text, reason: text }), (t) => `the regression gate ${wordOf(GATE_STATES, t.state) ?? `is ${codeWords(t.state)}`}: ${t.reason}`),
    import_progress: fromTags(z.object({ table: text, source_table: text, total_bytes: num.nullable(), rows: num }), (t, m) => {
      if (m.value === null) return null;
      const of = t.total_bytes ? ` of ${fmtBytes(t.total_bytes)} (${fmtPct(m.value / t.total_bytes, 0)})` : '';
      return `${t.source_table} into ${t.table}: ${fmtBytes(m.value)}${of} read, ${count(t.rows, 'row')}`;
    }),
    restore_step: stepWords,
    purge_step: stepWords,
    [DATABASE_REPLACED_METRIC]: fromTags(z.object({ cause: text }), (t) => `the database was replaced ${wordOf(REPLACED_BY, t.cause) ?? `(${codeWords(t.cause)})`}: the runs shown before are gone, and the views read the new file`),
  } satisfies Record<string, Wording>),
);

/** What the log showed of every metric before it had words for them: `name=value unit date=... tag=value` (4 tags at most). */
function rawMetric(m: Metric): string {
  const tags = Object.entries(m.tags)
    .slice(0, 4)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  return `${m.name}${m.value !== null ? `=${m.value}${m.unit ? m.unit : ''}` : ''}${m.date ? ` date=${m.date}` : ''}${tags ? ` ${tags}` : ''}`;
}

/** A metric's line: its name and its sentence, or its raw form when it has none. */
export function metricLine(m: Metric, names: PortfolioNames = NO_NAMES): string {
  const sentence = WORDINGS.get(m.name)?.(m, names) ?? null;
  return sentence === null ? rawMetric(m) : `${m.name}: ${sentence}`;
}

/** An event's log line; `names`: the portfolio names the log knows. */
export function logText(e: TelemetryEvent, names: PortfolioNames = NO_NAMES): string {
  const portfolio = (id: string | null) => (id ? ` [${portfolioLabel(id, names)}]` : '');
  switch (e.event) {
    case 'run_start':
      return `run ${e.payload.batch_run_id} started: ${e.payload.date_count} date(s) ${e.payload.first_date ?? ''}..${e.payload.last_date ?? ''}, ${e.payload.chunk_count} chunk(s), mode ${e.payload.mode}`;
    case 'phase_start':
      return `${e.payload.date} ${e.payload.phase}${portfolio(e.payload.portfolio_id)} started`;
    case 'phase_result': {
      const p = e.payload;
      const extra = [p.reason ? `reason=${p.reason} (${reasonWords(p.reason)})` : '', p.error ? `error=${p.error}` : '', p.missing_price_count ? `missing=${p.missing_price_count}` : '', p.fallback_count ? `fallback=${p.fallback_count}` : ''].filter(Boolean).join(' ');
      return `${p.date} ${p.phase}${portfolio(p.portfolio_id)} ${p.status} ${Math.round(p.duration_ms)}ms${extra ? ` ${extra}` : ''}`;
    }
    case 'date_result': {
      const p = e.payload;
      return `${p.date} ${p.status}: portfolios ${p.portfolios_succeeded}/${p.portfolios_total} ok, missing ${p.missing_price_count}, fallback ${p.fallback_count}, jobs ${p.analytics_jobs_completed}/${p.analytics_jobs_expected}, ${Math.round(p.duration_ms)}ms`;
    }
    case 'run_result': {
      const p = e.payload;
      return `run ${p.status} (exit ${p.exit_code}): ${p.dates_succeeded} success, ${p.dates_partial} partial, ${p.dates_failed} failed${p.cancelled ? ', cancelled' : ''}`;
    }
    case 'metric':
      return metricLine(e.payload, names);
  }
}
