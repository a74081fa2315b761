/** `batchdesk reconcile`: the six reconciliation checks per portfolio-date (SPEC.md i.1). */
import { EXIT } from '../../core/api/errors';
import { formatMoney } from '../../core/domain/money';
import { reconcileInputSchema } from '../../core/api/commands/diagnostics-commands';
import { targetDate } from '../../core/calendar';
import { latestProcessedDate, reconcileInput } from '../../host/diagnostics/reconcile';
import { checkSettledScope } from '../../host/diagnostics/run-dates';
import { systemClock } from '../../host/system-ports';
import { BANNER, asciiJson, toAscii } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { parseOrUsage } from '../validate';
import { DATE_FLAG, END_FLAG, PORTFOLIO_FLAG, START_FLAG, THRESHOLD_FLAG, mark, scopeFlags } from './diagnostic-flags';
import { openStore } from '../../host/engine-host';

export const reconcileCommand: CommandSpec = {
  name: 'reconcile',
  summary: 'reconcile NAV, positions, cash, P&L and equity per portfolio-date; leverage is informational',
  flags: { date: DATE_FLAG, 'start-date': { ...START_FLAG, defaultText: 'the first processed date, with --end-date' }, 'end-date': { ...END_FLAG, defaultText: 'the latest processed date' }, portfolio: PORTFOLIO_FLAG, threshold: THRESHOLD_FLAG, json: JSON_FLAG },
  example: 'batchdesk reconcile --start-date 2025-07-01 --end-date 2025-09-30',
  async run(ctx) {
    const input = parseOrUsage(reconcileInputSchema, scopeFlags(ctx.flags, 'reconcile'), 'reconcile');
    checkSettledScope(input, targetDate(systemClock(ctx.io.env).now()));
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      const r = reconcileInput(opened.db, input);
      // A range without a complete snapshot is not a pass: nothing was checked (a date not run
      // yet, purged, or mistyped).
      const nothing = r.total === 0 && r.missingSnapshots.length === 0;
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else {
        const lines = [BANNER, `batchdesk reconcile  ${r.range.start ?? 'first processed date'} .. ${r.range.end ?? 'n/a'}   threshold ${formatMoney(r.threshold)}`, BANNER];
        for (const x of r.results) {
          lines.push('', `${toAscii(x.portfolioName)}  ${x.date}${x.flagged ? '  FLAGGED' : ''}   marked lots ${x.markedLots}, unmarked ${x.unmarkedLots}`);
          for (const c of x.checks) {
            lines.push(`  ${mark(c.status)} ${c.id} ${c.name.padEnd(40)} ${c.note ?? formatMoney(c.difference)}`);
            if (c.secondary) lines.push(`         ${c.secondary.name.padEnd(40)} ${formatMoney(c.secondary.difference)} ${mark(c.secondary.status)}`);
          }
          for (const i of x.info) lines.push(`  ${i.kind}: ${i.text}`);
          for (const e of x.explanations) lines.push(`  cause: ${toAscii(e)}`);
        }
        if (r.missingSnapshots.length) {
          lines.push('', `Tracked portfolio-dates without a snapshot: ${r.missingSnapshots.length} (nothing there can be reconciled, and the next date rolls forward from an older snapshot)`);
          for (const m of r.missingSnapshots.slice(0, 20)) lines.push(`  ${m.date}  ${toAscii(m.portfolioName)}: run it again with \`batchdesk run --target-date ${m.date} --portfolio ${m.portfolioId}${advisedDbFlag(ctx.global)}\`, then \`batchdesk run --retry-failed-phases${advisedDbFlag(ctx.global)}\` for the later dates it makes stale`);
          if (r.missingSnapshots.length > 20) lines.push(`  ... ${r.missingSnapshots.length - 20} more (all of them: --json)`);
        }
        lines.push('', `Flagged portfolio-dates: ${r.flagged} / ${r.total}`);
        if (nothing) lines.push(`Result: no complete snapshot in this range${input.portfolios.length ? ' for these portfolios' : ''}, so nothing was reconciled; the latest processed date is ${latestProcessedDate(opened.db) ?? 'none'}`);
        ctx.io.out(lines.join('\n'));
      }
      return r.flagged > 0 || r.missingSnapshots.length > 0 || nothing ? EXIT.checkFailed : EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
