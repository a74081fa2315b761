/** `batchdesk diagnose [equity-cash|prices]` (SPEC.md i.2). */
import { EXIT } from '../../core/api/errors';
import { targetDate } from '../../core/calendar';
import { calendarDateSchema } from '../../core/calendar/calendar-range-error';
import { formatMoney } from '../../core/domain/money';
import { diagnoseEquityCash } from '../../host/diagnostics/equity-cash';
import { diagnosePrices } from '../../host/diagnostics/price-diagnosis';
import { latestProcessedDate } from '../../host/diagnostics/reconcile';
import { checkSettledScope } from '../../host/diagnostics/run-dates';
import { systemClock } from '../../host/system-ports';
import { BANNER, asciiJson, table, toAscii } from '../ascii';
import { JSON_FLAG, type CommandContext, type CommandSpec } from '../command';
import { parseOrUsage } from '../validate';
import { DATE_FLAG, PORTFOLIO_FLAG, THRESHOLD_FLAG, mark, scopeFlags } from './diagnostic-flags';
import { openStore } from '../../host/engine-host';

async function equityCash(ctx: CommandContext): Promise<number> {
  const s = scopeFlags(ctx.flags, 'diagnose equity-cash');
  const date = s.date ? parseOrUsage(calendarDateSchema, s.date, 'diagnose equity-cash', '--date') : null;
  checkSettledScope({ date }, targetDate(systemClock(ctx.io.env).now()));
  const opened = openStore(ctx.global.dbPath, { toRead: true });
  try {
    const r = diagnoseEquityCash(opened.db, { date, portfolioIds: s.portfolios, ...(s.threshold ? { threshold: s.threshold } : {}) });
    // A date without a snapshot is not a pass: nothing was checked (as reconcile and verify say).
    const nothing = r.checked === 0;
    if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
    else {
      const lines = [BANNER, `batchdesk diagnose equity-cash  date ${r.date ?? 'n/a'}   threshold ${formatMoney(r.threshold)}`, BANNER];
      for (const l of r.lines) {
        lines.push(
          '',
          `${toAscii(l.portfolioName)}${l.flagged ? '  FLAGGED' : ''}`,
          `  Equity balance        ${formatMoney(l.equity)}${l.portfolioEquity !== null ? `   (portfolio now ${formatMoney(l.portfolioEquity)})` : ''}`,
          `  Snapshot NAV          ${formatMoney(l.nav)}`,
          `  Sum position MV       ${formatMoney(l.positionsValue)}   (${l.positionsCount} lots)`,
          `  Snapshot cash         ${formatMoney(l.snapshotCash)}`,
          `  Derived cash          ${formatMoney(l.derivedCash)}   (equity - sum MV)`,
          `  Exposure long/short   ${formatMoney(l.longExposure)} / ${formatMoney(l.shortExposure)}`,
          ...l.checks.map((c) => `  ${mark(c.status)} ${c.name.padEnd(26)} ${formatMoney(c.difference)}`),
          ...l.notes.map((n) => `  note: ${toAscii(n)}`),
        );
      }
      lines.push('', `Flagged portfolios: ${r.flagged} / ${r.lines.length}`);
      if (nothing) lines.push(`Result: no snapshot on ${r.date ?? 'any date'}${s.portfolios.length ? ' for these portfolios' : ''}, so nothing was checked; the latest processed date is ${latestProcessedDate(opened.db) ?? 'none'}`);
      ctx.io.out(lines.join('\n'));
    }
    return r.flagged > 0 || nothing ? EXIT.checkFailed : EXIT.ok;
  } finally {
    opened.close();
  }
}

const equityCashFlags = { date: DATE_FLAG, portfolio: PORTFOLIO_FLAG, threshold: THRESHOLD_FLAG, json: JSON_FLAG };

export const diagnoseCommand: CommandSpec = {
  name: 'diagnose',
  summary: 'equity and cash diagnosis per portfolio (same as `diagnose equity-cash`)',
  flags: equityCashFlags,
  example: 'batchdesk diagnose --date 2025-09-30',
  run: equityCash,
};

export const diagnoseEquityCashCommand: CommandSpec = {
  name: 'diagnose equity-cash',
  summary: 'equity, NAV, positions, snapshot and derived cash per portfolio, each difference flagged or OK',
  flags: equityCashFlags,
  example: 'batchdesk diagnose equity-cash --date 2025-09-30 --portfolio 1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe',
  run: equityCash,
};

export const diagnosePricesCommand: CommandSpec = {
  name: 'diagnose prices',
  summary: 'price coverage of one date: exact, fallback or missing per symbol, reasons, unmarked lots',
  flags: { date: DATE_FLAG, portfolio: PORTFOLIO_FLAG, json: JSON_FLAG },
  example: 'batchdesk diagnose prices --date 2025-09-30',
  async run(ctx) {
    const s = scopeFlags(ctx.flags, 'diagnose prices');
    const date = s.date ? parseOrUsage(calendarDateSchema, s.date, 'diagnose prices', '--date') : null;
    // After the target date no close is settled yet: every symbol would look missing (k.3).
    checkSettledScope({ date }, targetDate(systemClock(ctx.io.env).now()));
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      const r = diagnosePrices(opened.db, { date, portfolioIds: s.portfolios });
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk diagnose prices  date ${r.date ?? 'n/a'}   exact ${r.counts.exact}, fallback ${r.counts.fallback}, missing ${r.counts.missing}, suspect ${r.counts.suspect}`,
            BANNER,
            table(
              ['symbol', 'resolution', 'price date', 'reason', 'latest known', 'last fetch', 'jump', 'lots'],
              r.symbols.map((x) => [x.symbol, x.resolution, x.priceDate ?? '-', x.neverPriced && x.reason !== 'provider_error' ? `${x.reason ?? 'missing'}: never priced, check the symbol` : (x.reason ?? '-'), x.latestKnown ? `${x.latestKnown.date} ${x.latestKnown.close}` : '-', x.lastFetch ? `${x.lastFetch.provider} ${x.lastFetch.outcome}` : '-', x.jump ? 'yes' : '', String(x.positions)]),
            ),
            '',
            `Lots without a mark: ${r.unmarkedLots.length}`,
            ...r.unmarkedLots.map((l) => `  ${toAscii(l.portfolioName)}  ${l.positionId}  ${l.symbol}: ${l.reason}`),
          ].join('\n'),
        );
      return r.counts.missing > 0 || r.unmarkedLots.length > 0 ? EXIT.checkFailed : EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
