/**
 * `diagnose equity-cash` (SPEC.md i.2): per portfolio, for one date (default the latest
 * processed date), equity, NAV, Σ position MV with the lot count, snapshot and derived cash,
 * long and short exposure, the three comparisons, and data-quality notes. Uses the date's own
 * marks and equity, never today's values for a past date.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import { formatMoney, roundCents } from '../../core/domain/money';
import { isActiveOn } from '../../core/domain/portfolio';
import type { ReconcileResult } from '../../core/validation/reconciliation';
import { PortfolioDateReader } from '../../db/diagnostics/portfolio-date-inputs';
import type { SqliteDatabase } from '../../db/open-database';
import { reportDate } from './run-dates';
import { latestProcessedDate, thresholdOf } from './reconcile';
import { portfoliosIn } from '../../db/portfolio-ids';

export interface EquityCashLine {
  readonly portfolioId: string;
  readonly portfolioName: string;
  readonly date: string | null;
  readonly equity: number | null;
  readonly portfolioEquity: number | null;
  readonly nav: number | null;
  readonly positionsValue: number | null;
  readonly positionsCount: number;
  readonly snapshotCash: number | null;
  readonly derivedCash: number | null;
  readonly longExposure: number | null;
  readonly shortExposure: number | null;
  readonly checks: readonly { readonly name: string; readonly difference: number | null; readonly status: string }[];
  readonly flagged: boolean;
  readonly notes: readonly string[];
}

export interface EquityCashReport {
  readonly date: string | null;
  readonly threshold: number;
  readonly lines: readonly EquityCashLine[];
  readonly flagged: number;
  /** Portfolios with a snapshot on the date, so diagnosed; 0 means nothing was checked. */
  readonly checked: number;
}

export function diagnoseEquityCash(db: SqliteDatabase, args: { date: IsoDate | null; portfolioIds: readonly string[]; threshold?: number }): EquityCashReport {
  const portfolios = portfoliosIn(db, args.portfolioIds);
  const threshold = thresholdOf(db, args.threshold);
  const date = reportDate(args.date) ?? latestProcessedDate(db);
  const reader = new PortfolioDateReader(db);
  const lines: EquityCashLine[] = portfolios.map((p) => {
    const notes: string[] = [];
    const lots = reader.lotsOf(p.id);
    // The notes are about the date diagnosed: a lot held on it, or one closed by then.
    for (const l of lots) {
      if (l.investmentClass === 'OPTIONS' && l.entryPrice === 0 && (!date || isActiveOn(l, date))) notes.push(`zero-premium option lot ${l.id} (${l.symbol})`);
      if (l.exitDate !== null && (!date || l.exitDate <= date) && reader.eventsOf(l.id).length === 0) notes.push(`lot ${l.id} (${l.symbol}) is closed without realized events`);
    }
    const priv = db.prepare(`SELECT id, symbol, quantity, entry_price, market_value FROM positions WHERE portfolio_id = ? AND deleted_at IS NULL AND investment_class = 'PRIVATE' AND market_value IS NOT NULL`).all(p.id) as { id: string; symbol: string; quantity: number; entry_price: number; market_value: number }[];
    for (const r of priv) if (Math.abs(r.market_value - roundCents(r.quantity * r.entry_price)) > threshold) notes.push(`private lot ${r.id} (${r.symbol}) holds value ${formatMoney(r.market_value)}, its entry value is ${formatMoney(r.quantity * r.entry_price)}`);
    const rec: ReconcileResult | null = date ? reader.reconcile({ portfolioId: p.id, portfolioName: p.name, date }, threshold) : null;
    if (!rec || !date) {
      const active = date ? lots.filter((l) => isActiveOn(l, date)).length : 0;
      // i.2's sum of position values comes from D's marks, which a run of marks alone leaves without a snapshot.
      const marked = date
        ? (db.prepare(`SELECT count(*) AS n, sum(market_value) AS mv FROM position_marks WHERE portfolio_id = ? AND mark_date = ? AND is_active = 1 AND market_value IS NOT NULL`).get(p.id, date) as { n: number; mv: number | null })
        : { n: 0, mv: null };
      const noSnapshot = marked.n > 0 ? `no snapshot on ${date}, only its marks: run its snapshots phase (\`batchdesk run --target-date ${date} --phase snapshots\`)` : `no snapshot on ${date ?? 'any date'}`;
      return {
        portfolioId: p.id,
        portfolioName: p.name,
        date,
        equity: null,
        portfolioEquity: null,
        nav: null,
        positionsValue: marked.n > 0 && marked.mv !== null ? roundCents(marked.mv) : null,
        positionsCount: marked.n > 0 ? marked.n : active,
        snapshotCash: null,
        derivedCash: null,
        longExposure: null,
        shortExposure: null,
        checks: [],
        flagged: false,
        notes: [...notes, noSnapshot],
      };
    }
    const s = reader.snapshot(p.id, date)!;
    const equity = (s['equity_balance'] as number | null) ?? (s['total_value'] as number);
    const cash = s['cash_value'] as number;
    if (cash < 0) notes.push(`negative cash ${formatMoney(cash)} (leverage)`);
    if (reader.isStale(p.id, date)) notes.push(`${date} is stale in tracking`);
    const pick = (id: number, name: string) => {
      const c = rec.checks.find((x) => x.id === id)!;
      return { name, difference: c.difference, status: c.status };
    };
    const checks = [pick(1, 'NAV - cash vs positions'), pick(4, 'equity vs NAV'), pick(5, 'cash vs derived')];
    const isLatest = (db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = ?`).get(p.id) as { d: string }).d === date;
    return {
      portfolioId: p.id,
      portfolioName: p.name,
      date,
      equity,
      portfolioEquity: isLatest ? (reader.portfolio(p.id)?.equityBalance ?? null) : null,
      nav: s['total_value'] as number,
      positionsValue: rec.sMarked,
      positionsCount: rec.markedLots,
      snapshotCash: cash,
      derivedCash: roundCents(equity - rec.sMarked),
      longExposure: s['long_value'] as number,
      shortExposure: s['short_value'] as number,
      checks,
      flagged: checks.some((c) => c.status === 'flag'),
      notes,
    };
  });
  lines.sort((a, b) => (a.flagged !== b.flagged ? (a.flagged ? -1 : 1) : a.portfolioName < b.portfolioName ? -1 : 1));
  return { date, threshold, lines, flagged: lines.filter((l) => l.flagged).length, checked: lines.filter((l) => l.nav !== null).length };
}
