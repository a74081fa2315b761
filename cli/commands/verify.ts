/** `batchdesk verify demo|guard|coverage|rowcounts|views` (SPEC.md i.3, i.4, i.6, i.8). */
import { z } from 'zod';
import { EXIT, usageError } from '../../core/api/errors';
import { coverageInputSchema, guardInputSchema } from '../../core/api/commands/diagnostics-commands';
import { targetDate, tradingDaysBetween } from '../../core/calendar';
import { calendarDateSchema } from '../../core/calendar/calendar-range-error';
import type { IsoDate } from '../../core/domain/iso-date';
import { coverageRemedies, describeCoverageGap } from '../../core/validation/coverage-gaps';
import { gateStaysClosedWords, guardAndGate, readGate, reopenGate } from '../../host/diagnostics/guard';
import { latestProcessedDate } from '../../host/diagnostics/reconcile';
import { checkSettledScope, latestRunDates, reportDate } from '../../host/diagnostics/run-dates';
import { portfolioIdsIn } from '../../db/portfolio-ids';
import { verifyCoverage } from '../../host/diagnostics/verify-coverage';
import { verifyDemo } from '../../host/diagnostics/verify-demo';
import { verifyRowCounts } from '../../host/diagnostics/verify-rowcounts';
import { verifyViews } from '../../host/diagnostics/verify-views';
import { openStore, type OpenedDatabase } from '../../host/engine-host';
import { systemClock } from '../../host/system-ports';
import { stringFlag } from '../args';
import { BANNER, asciiJson, table, toAscii } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandContext, type CommandSpec } from '../command';
import { parseOrUsage } from '../validate';
import { readNumberFlag, type NumberFlag } from '../number-flag';
import { DATE_FLAG, END_FLAG, PORTFOLIO_FLAG, START_FLAG, scopeFlags } from './diagnostic-flags';

/** Runs `fn` on the database opened to read (openStore with toRead), or to write (`write`: the gate reopen), and closes it. */
async function withDb(ctx: CommandContext, fn: (o: OpenedDatabase) => number, write = false): Promise<number> {
  const opened = openStore(ctx.global.dbPath, write ? { mustExist: true } : { toRead: true });
  try {
    return fn(opened);
  } finally {
    opened.close();
  }
}

export const verifyDemoCommand: CommandSpec = {
  name: 'verify demo',
  summary: 'demo readiness: structure, data completeness, freshness, price coverage and score',
  flags: { json: JSON_FLAG },
  example: 'batchdesk verify demo',
  run: (ctx) =>
    withDb(ctx, (o) => {
      const r = verifyDemo(o.db, targetDate(systemClock(ctx.io.env).now()), advisedDbFlag(ctx.global));
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk verify demo  target date ${r.targetDate}`,
            BANNER,
            `Structure:    ${r.portfoliosFound}/${r.portfoliosExpected} portfolios, ${r.positionsFound}/${r.positionsExpected} positions`,
            ...r.structureIssues.map((s) => `  ${toAscii(s)}`),
            `Completeness: ${r.completenessLabel} (${(r.completeness * 100).toFixed(0)}%)  option marks with Greeks ${r.counts['optionMarksWithGreeks']}, position factor exposures ${r.counts['positionFactorExposures']}, correlations ${r.counts['correlationCalculations']}, snapshots ${r.counts['portfolioSnapshots']}, symbols ${r.counts['marketDataSymbols']}, positions ${r.counts['positions']}`,
            `Freshness:    ${r.freshnessLabel} (latest price ${r.latestPriceDate ?? 'none'}, ${r.freshnessDays ?? 'n/a'} days)`,
            `Coverage:     ${r.coverageLabel} (${(r.priceCoverage * 100).toFixed(1)}%)`,
            `Readiness:    ${r.readiness.toFixed(3)}  ${r.label}`,
            ...r.recommendations.map((x) => `  recommendation: ${x}`),
          ].join('\n'),
        );
      return r.ready ? EXIT.ok : EXIT.checkFailed;
    }),
};

export const verifyGuardCommand: CommandSpec = {
  name: 'verify guard',
  summary: 'regression guard (marks before analytics, analytics row counts, NAV vs marks); controls the gate',
  flags: {
    // i.4: without dates the guard checks what the latest run processed, not one date.
    date: { ...DATE_FLAG, defaultText: 'the dates the latest run processed' },
    'start-date': START_FLAG,
    'end-date': { ...END_FLAG, description: 'last date of a range (only with --start-date)', defaultText: 'the target date (the latest settled trading day)' },
    portfolio: PORTFOLIO_FLAG,
    reopen: { type: 'boolean', description: 'reopen the gate without a passing guard (needs --reason)' },
    reason: { type: 'string', valueName: 'TEXT', description: 'why the gate is reopened (recorded in maintenance_log)' },
    json: JSON_FLAG,
  },
  example: 'batchdesk verify guard --start-date 2025-07-01 --end-date 2025-09-30',
  async run(ctx) {
    const clock = systemClock(ctx.io.env);
    const f = ctx.flags;
    if (f['reopen']) {
      const reason = stringFlag(f['reason']) ?? '';
      return withDb(ctx, (o) => {
        const change = reopenGate(o.db, reason, clock);
        const g = readGate(o.db);
        if (f['json']) ctx.io.out(asciiJson({ gate: g }, 2));
        else ctx.io.out(change ? `Gate reopened: ${toAscii(reason)}` : `The gate is already open${g.since ? ` (since ${g.since})` : ''}; nothing changed.`);
        return EXIT.ok;
      }, true);
    }
    if (stringFlag(f['reason']) !== undefined) throw usageError('--reason only goes with --reopen');
    const s = scopeFlags(f, 'verify guard');
    const input = parseOrUsage(guardInputSchema, s, 'verify guard');
    // Without --start-date the guard checks the latest run's dates; an end alone would be dropped.
    if (input.endDate && !input.startDate && !input.date) throw usageError('--end-date needs --start-date; for one date use --date YYYY-MM-DD');
    reportDate(input.date ?? null);
    checkSettledScope(input, targetDate(clock.now()));
    return withDb(ctx, (o) => {
      // An unknown --portfolio is named before "nothing to check" could hide it.
      portfolioIdsIn(o.db, input.portfolios);
      const scope = input.date
        ? { start: input.date, end: input.date }
        : input.startDate
          ? { start: input.startDate, end: (input.endDate ?? targetDate(clock.now())) as IsoDate }
          : latestRunDates(o.db);
      const r = guardAndGate(o.db, { ...scope, portfolioIds: input.portfolios }, null, clock);
      // A range without a processed portfolio-date is not a pass: nothing was checked (the
      // gate is left as it was).
      const nothing = r.checked === 0;
      // A pass that leaves the gate closed says why, or `Gate: closed` would read as a contradiction.
      const staysClosed = gateStaysClosedWords(r, scope, advisedDbFlag(ctx.global));
      if (f['json']) ctx.io.out(asciiJson({ ...r, gateStaysClosed: staysClosed }, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk verify guard  ${scope.start} .. ${scope.end}   ${r.checked} portfolio-date(s)`,
            BANNER,
            ...(r.findings.length ? [table(['check', 'date', 'portfolio', 'expected', 'actual'], r.findings.map((x) => [x.check, x.date, toAscii(x.portfolio_name ?? '-'), toAscii(x.expected), toAscii(x.actual)]))] : []),
            `Guard: ${nothing ? 'not checked' : r.status}`,
            `Gate: ${r.gate.state}${r.gateChange ? ` (${r.gateChange.state === 'closed' ? 'closed now' : 'reopened now'}: ${r.gateChange.reason})` : ''}${staysClosed ? `, and stays closed: ${staysClosed}` : ''}`,
            ...(nothing ? [`Result: no processed portfolio-date in this range, so nothing was checked; the latest processed date is ${latestProcessedDate(o.db) ?? 'none'}`] : []),
          ].join('\n'),
        );
      return r.status === 'pass' && !nothing ? EXIT.ok : EXIT.checkFailed;
    });
  },
};

export const verifyCoverageCommand: CommandSpec = {
  name: 'verify coverage',
  summary: 'snapshots, marks, exposures, stress results and tracking without gaps over a range',
  flags: { 'start-date': { ...START_FLAG, required: true }, 'end-date': { ...END_FLAG, defaultText: 'the target date (the latest settled trading day)' }, portfolio: PORTFOLIO_FLAG, json: JSON_FLAG },
  example: 'batchdesk verify coverage --start-date 2025-07-01 --end-date 2025-09-30',
  run: (ctx) => {
    const s = scopeFlags(ctx.flags, 'verify coverage');
    const target = targetDate(systemClock(ctx.io.env).now());
    // Without --end-date the range ends at the target date; a --start-date after it is refused
    // for itself below ("not settled yet"), not as an end before the start nobody typed.
    const endDate = s.endDate ?? (s.startDate !== undefined && s.startDate > target ? s.startDate : target);
    const input = parseOrUsage(coverageInputSchema, { startDate: s.startDate, endDate, portfolios: s.portfolios }, 'verify coverage');
    // A date after the target date is not a gap: nothing can be processed there yet.
    checkSettledScope(input, target);
    // A range of weekends and holidays has nothing to check, as it has nothing to purge or rebuild.
    if (tradingDaysBetween(input.startDate, input.endDate).length === 0) {
      throw usageError(`${input.startDate} .. ${input.endDate} holds no trading day (weekends and NYSE holidays are not processed), so there is nothing to check; widen the range`);
    }
    return withDb(ctx, (o) => {
      const r = verifyCoverage(o.db, { start: input.startDate, end: input.endDate, portfolioIds: input.portfolios });
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk verify coverage  ${r.start} .. ${r.end}   ${r.tradingDays} trading days, ${r.checked} portfolio-dates`,
            BANNER,
            ...r.gaps.map((g) => `${toAscii(g.portfolioName)}: ${describeCoverageGap(g)}`),
            `Gaps: ${r.gaps.length}`,
            ...coverageRemedies(r.gaps, { lastProcessedDate: latestProcessedDate(o.db), targetDate: target, commandSuffix: advisedDbFlag(ctx.global) }),
          ].join('\n'),
        );
      return r.gaps.length ? EXIT.checkFailed : EXIT.ok;
    });
  },
};

/** `--since-purge ID`: a maintenance_log id. */
const SINCE_PURGE_NUMBER: NumberFlag = { name: '--since-purge', range: z.number().int().positive(), example: '3' };

export const verifyRowcountsCommand: CommandSpec = {
  name: 'verify rowcounts',
  summary: 'row counts against the counts recorded before the latest (or a given) purge',
  flags: { 'since-purge': { type: 'string', valueName: 'ID', optionalValue: 'latest', nonNegative: true, description: 'the purge to compare with (maintenance_log id)', defaultText: 'the latest purge' }, json: JSON_FLAG },
  example: 'batchdesk verify rowcounts --since-purge',
  run: (ctx) => {
    const v = stringFlag(ctx.flags['since-purge']);
    const id = v === undefined || v === 'latest' ? null : readNumberFlag(SINCE_PURGE_NUMBER, v, 'verify rowcounts');
    return withDb(ctx, (o) => {
      const r = verifyRowCounts(o.db, id, advisedDbFlag(ctx.global));
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk verify rowcounts  ${r.maintenanceId === null ? 'no purge recorded' : `since purge #${r.maintenanceId} (${r.purgedAt ?? 'n/a'})`}`,
            BANNER,
            ...(r.lines.length ? [table(['table', 'before', 'now', 'result', 'note'], r.lines.map((l) => [l.table, String(l.before ?? '-'), String(l.now), l.status, l.note ?? '']))] : []),
            `Result: ${r.message ?? (r.failed ? 'missing rows' : 'ok')}`,
          ].join('\n'),
        );
      return r.failed ? EXIT.checkFailed : EXIT.ok;
    });
  },
};

export const verifyViewsCommand: CommandSpec = {
  name: 'verify views',
  summary: 'the factor and stress view queries return rows for every portfolio where analytics applied',
  flags: { date: DATE_FLAG, portfolio: PORTFOLIO_FLAG, json: JSON_FLAG },
  example: 'batchdesk verify views --date 2025-09-30',
  run: (ctx) => {
    const s = scopeFlags(ctx.flags, 'verify views');
    const date = s.date ? parseOrUsage(calendarDateSchema, s.date, 'verify views', '--date') : null;
    checkSettledScope({ date }, targetDate(systemClock(ctx.io.env).now()));
    return withDb(ctx, (o) => {
      const r = verifyViews(o.db, { date, portfolioIds: s.portfolios });
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk verify views  date ${r.date ?? 'n/a'}`,
            BANNER,
            table(['portfolio', 'view', 'rows', 'result', 'note'], r.checks.map((c) => [toAscii(c.portfolioName), c.view, String(c.rows), c.status, c.note ?? ''])),
            `Result: ${r.message ?? (r.failed ? 'empty views' : 'ok')}`,
          ].join('\n'),
        );
      return r.failed ? EXIT.checkFailed : EXIT.ok;
    });
  },
};
