/**
 * Human progress on stderr for `run` (SPEC.md k.1): a banner, a line per chunk, a line per
 * date (date, phases, duration, fallbacks and missing prices), market-data warnings (bad or
 * misnamed CSV files, flagged closes, a circuit that opened and the requests it refused), and on a
 * terminal a progress bar with an ETA. The run's totals and warnings are the summary's to print
 * (cli/commands/run.ts printSummary).
 * With colour (cli/color.ts decides it) the bar is green, failures red and warnings yellow;
 * without it, no colour code is written. With --sql-echo each statement is a line too.
 */
import { csvBadRowText, priceFlagText } from '../../core/api/metric-text';
import type { EventLevel, TelemetryEvent } from '../../core/api/telemetry-events';
import type { TelemetrySink } from '../../core/telemetry/record-metric';
import { BANNER } from '../ascii';
import { paint, type Color } from '../color';
import { sqlEchoLine } from './sql-echo';

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** A status word's colour: failures red, partial results yellow, the rest as they are. */
function statusColor(status: string): Color | null {
  return status === 'failed' ? 'red' : status === 'partial' ? 'yellow' : null;
}

/**
 * A date's missing prices as the market_data line and the run summary count them: the needed
 * symbols without a close on the day, a fallback close covering some (e.6), the rest missing.
 */
function missingPrices(p: { missing_price_count: number; fallback_count: number; symbol_coverage_pct: number | null }): string {
  // No coverage: market_data did not run on the date, so no price was checked.
  if (p.symbol_coverage_pct === null) return 'prices not checked';
  return `fallback ${p.fallback_count}  missing ${p.missing_price_count - p.fallback_count}`;
}

/**
 * What the prefetch does with the ranges the cache lacks, in the words of its source chain: a
 * chain with a network source fetches them; the CSV folder alone (offline) reads them from its
 * files; an empty chain (offline without a folder) asks nothing, so they stay missing.
 */
function rangesWords(ranges: number, tags: Readonly<Record<string, unknown>>): string {
  const n = `${ranges} range${ranges === 1 ? '' : 's'}`;
  const sources = tags['sources'];
  const mode = `(${String(tags['fetch_mode'])})`;
  if (!Array.isArray(sources) || sources.some((s) => s !== 'csv')) return `${n} to fetch ${mode}`;
  return sources.length > 0 ? `${n} to read from the CSV folder ${mode}` : `${n} missing from the cache (offline: nothing is fetched)`;
}

/** A chunk's prefetch, as k.1 shows it: `[chunk 1/19] 2025-07-01 .. 2025-07-07  prefetch: 64 symbols, 12 ranges to fetch (incremental)`. */
function prefetchLine(first: string | null, ranges: number, tags: Readonly<Record<string, unknown>>): string {
  const index = tags['chunk_index'];
  const where = typeof index === 'number' ? `[chunk ${index + 1}/${String(tags['chunk_count'])}] ${first ?? ''} .. ${String(tags['last_date'])}  ` : '';
  return `${where}prefetch: ${String(tags['symbols'])} symbols, ${rangesWords(ranges, tags)}`;
}

/**
 * The target date a run's heading shows: the one `--target-date` asked for, beside the latest
 * settled trading day (the automatic target), so neither reads as the other; when they are the
 * same day, it is said so rather than the date twice.
 */
export function targetDateWords(asked: string | undefined, settled: string, derivation?: string): string {
  if (asked) return asked === settled ? `${asked} (as asked; the latest settled trading day)` : `${asked} (as asked; the latest settled trading day is ${settled})`;
  return derivation ? `${settled} (${derivation})` : settled;
}

/**
 * `level` is the console's (cli/log-level.ts): `debug` adds detail, `warn` keeps only the lines
 * of warn- and error-level events, `error` prints nothing but what --sql-echo asked for.
 */
export function progressSink(write: (line: string) => void, options: { tty: boolean; level: EventLevel; now: () => number; color?: boolean; commandSuffix?: string }): TelemetrySink {
  const verbose = options.level === 'debug';
  const color = options.color ?? false;
  const tint = (c: Color | null, text: string) => (c ? paint(color, c, text) : text);
  const warning = (text: string) => tint('yellow', `warning: ${text}`);
  let total = 0;
  let done = 0;
  let started = options.now();
  let barShown = false;
  // The date-level phases' time on the current date: the market_data line shows it, so the
  // portfolios line shows the rest of the date (k.1's layout), not the date's total again.
  let datePhaseMs = 0;
  // Whether the run plans a portfolio phase at all (run_start's phases).
  let portfolioPhases = true;
  // Portfolios of the current date blocked by an earlier date without a snapshot, by that date:
  // one note on the date line instead of two failure lines per portfolio (g.3).
  const blockedBy = new Map<string, number>();
  const clearBar = () => {
    if (barShown) {
      process.stderr.write('\r\x1b[2K');
      barShown = false;
    }
  };
  const bar = () => {
    if (!options.tty || total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const elapsed = options.now() - started;
    const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
    process.stderr.write(`\r[${tint('green', '#'.repeat(filled))}${'.'.repeat(width - filled)}] ${done}/${total} dates  ETA ${duration(eta)}`);
    barShown = true;
  };
  const line = (text: string) => {
    clearBar();
    write(text);
    bar();
  };
  return {
    name: 'progress',
    handle(e: TelemetryEvent) {
      // Statements are printed whenever --sql-echo asked for them, --quiet or not.
      const sql = sqlEchoLine(e);
      if (sql !== null) {
        line(sql);
        return;
      }
      if (e.event !== 'run_result') {
        if (options.level === 'error') return;
        if (options.level === 'warn' && e.level !== 'warn' && e.level !== 'error') return;
      }
      switch (e.event) {
        case 'run_start': {
          const p = e.payload;
          total = p.date_count;
          started = options.now();
          portfolioPhases = p.phases.some((ph) => ph !== 'market_data' && ph !== 'fundamentals');
          line(
            [
              BANNER,
              `batchdesk run  ${p.batch_run_id}`,
              `Database: ${p.database}   Target date: ${targetDateWords(p.mode === 'resume' ? undefined : (p.options['targetDate'] as string | undefined), p.target_date)}`,
              `Dates: ${p.first_date ?? '-'} .. ${p.last_date ?? '-'} (${p.date_count} trading day${p.date_count === 1 ? '' : 's'}, ${p.chunk_count} chunk${p.chunk_count === 1 ? '' : 's'})`,
              BANNER,
            ].join('\n'),
          );
          break;
        }
        case 'phase_result': {
          const p = e.payload;
          if (p.portfolio_id === null) datePhaseMs += p.duration_ms;
          if (p.phase === 'market_data') {
            const m = p.metrics as Record<string, number>;
            line(
              `${p.date}  market_data  ${p.status === 'success' ? 'ok' : tint('red', p.status.toUpperCase())}  ${m['symbols_with_exact_close'] ?? 0}/${m['symbols_requested'] ?? 0} symbols  fallback ${p.fallback_count ?? 0}  missing ${m['symbols_missing'] ?? 0}  ${duration(p.duration_ms)}${p.error ? `  ${p.error}` : ''}`,
            );
          } else if (!verbose && p.status === 'failed' && p.reason === 'previous_day_missing') {
            const by = String(p.metrics['blocked_by'] ?? 'an earlier date');
            blockedBy.set(by, (blockedBy.get(by) ?? 0) + 1);
          } else if (verbose || (p.status === 'failed' && p.reason !== 'rolled_back')) {
            // A phase rolled back by a later critical failure is not a cause: that failure has its own line.
            line(tint(statusColor(p.status), `${p.date}  ${p.phase.padEnd(12)} ${(p.portfolio_id ?? '').slice(0, 8)}  ${p.status}${p.reason ? ` (${p.reason})` : ''}${p.error ? `: ${p.error}` : ''}`));
          }
          break;
        }
        case 'date_result': {
          const p = e.payload;
          done++;
          const portfoliosMs = Math.max(0, p.duration_ms - datePhaseMs);
          datePhaseMs = 0;
          const blocked = [...blockedBy].map(([by, n]) => `${n} blocked by ${by}`).join(', ');
          blockedBy.clear();
          // A run of date phases only (`--phase market_data`) runs no portfolio: "0/5" would read as five failures.
          const portfolios = portfolioPhases
            ? `portfolios ${p.portfolios_succeeded}/${p.portfolios_total} ${p.status === 'success' ? 'ok' : tint(statusColor(p.status), p.status)}${blocked ? ` (${blocked})` : ''}  jobs ${p.analytics_jobs_completed}/${p.analytics_jobs_expected}`
            : `date phases ${p.status === 'success' ? 'ok' : tint(statusColor(p.status), p.status)} (no portfolio phase planned)`;
          line(`${p.date}  ${portfolios}  ${missingPrices(p)}  ${duration(portfoliosMs)}`);
          break;
        }
        case 'metric': {
          const p = e.payload;
          if (p.name === 'fetch_plan') line(prefetchLine(p.date, p.value ?? 0, p.tags));
          else if (p.name === 'market_data_mode') line(String(p.tags['message']));
          else if (p.name === 'csv_bad_row') line(warning(csvBadRowText(p.tags)));
          else if (p.name === 'csv_conflict' || p.name === 'csv_ignored_file') line(warning(String(p.tags['message'])));
          else if (p.name === 'circuit_state' && typeof p.tags['message'] === 'string') line(p.tags['state'] === 'open' ? warning(p.tags['message']) : p.tags['message']);
          else if (p.name === 'circuit_refusals') line(warning(String(p.tags['message'])));
          else if (p.name === 'price_validation_flag') line(warning(priceFlagText(p.tags, p.date)));
          else if (p.name === 'stale_marked') line(warning(`${p.value} later date(s) of ${String(p.portfolio_id).slice(0, 8)} are now stale (from ${String(p.tags['from'])}); \`batchdesk run --retry-failed-phases${options.commandSuffix ?? ''}\` recomputes them`));
          else if (p.name === 'gate_changed') line(p.tags['state'] === 'closed' ? warning(`the regression gate closed: ${String(p.tags['reason'])}`) : `The regression gate reopened: ${String(p.tags['reason'])}`);
          else if (p.name === 'insufficient_coverage' && verbose) line(`${p.date}  analytics skipped for ${String(p.portfolio_id).slice(0, 8)}: missing marks ratio ${p.value}`);
          break;
        }
        case 'run_result':
          clearBar();
          break;
        default:
          break;
      }
    },
  };
}
