import { describe, expect, it } from 'vitest';
import { countTradingDaysBetween, isTradingDay } from '../../../core/calendar/trading-calendar';
import type { IsoDate } from '../../../core/domain/iso-date';
import { roundCents } from '../../../core/domain/money';
import { createSyntheticGenerator } from '../../../market-data/synthetic/synthetic-generator';
import type { SyntheticConfigInput } from '../../../market-data/synthetic/synthetic-config';

const D = (s: string): IsoDate => s as IsoDate;
const BASE: SyntheticConfigInput = { start: '2024-05-26', end: '2025-12-31' };
const FACTOR_ETFS = ['SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT'];
const closeOn = (g: ReturnType<typeof createSyntheticGenerator>, s: string, d: string): number | undefined =>
  g.quotes(s, D(d), D(d))[0]?.close;

describe('golden paths (independent Python reference)', () => {
  // Provenance: python3 test/fixtures/synthetic/path_reference.py. Window from 2000-01-01, so
  // the default anchor of a non-ETF symbol is 100.00 on 2000-01-03 (trading-day index 0).
  const CASES = [
    ['realistic', 'AAPL', [100, 99.6757, 96.1786, 95.7601, 97.7982], [799463, 575063, 508030, 353534, 562755], 0.7124143887782937],
    ['realistic', 'ZZZ', [100, 99.2488, 99.4695, 98.8934, 100.8071], [2683083, 2241980, 1391979, 1435581, 1962153], 0.3475587476055452],
    ['independent', 'AAPL', [100, 100.1859, 99.3318, 99.7477, 100.0983], [816757, 567353, 408140, 352976, 480306], 0],
    ['independent', 'ZZZ', [100, 100.0574, 99.9485, 100.2205, 100.4725], [2428538, 2097308, 1376517, 1393900, 1685358], 0],
  ] as const;
  it.each(CASES)('%s %s: closes and volumes of 2000-01-03 .. 2000-01-07, implied Market Beta', (profile, symbol, closes, volumes, beta) => {
    const g = createSyntheticGenerator({ start: '2000-01-01', end: '2000-12-31', profile });
    const q = g.quotes(symbol, D('2000-01-01'), D('2000-01-07'));
    expect(q.map((x) => x.date)).toEqual(['2000-01-03', '2000-01-04', '2000-01-05', '2000-01-06', '2000-01-07']);
    expect(q.map((x) => x.close)).toEqual(closes);
    expect(q.map((x) => x.volume)).toEqual(volumes);
    expect(g.impliedBetas(symbol)![0]!.value).toBeCloseTo(beta, 14);
  });
});

describe('anchors (SPEC.md e.9, m.8, Appendix B.1)', () => {
  it('caller anchors are hit exactly', () => {
    const g = createSyntheticGenerator({
      ...BASE,
      anchors: { SPY: { date: '2025-06-30', price: 616.1418 }, AAPL: { date: '2025-06-30', price: 204.9374 }, 'brk.b': { date: '2025-06-30', price: 495.1 } },
    });
    expect(closeOn(g, 'SPY', '2025-06-30')).toBe(616.1418);
    expect(closeOn(g, 'AAPL', '2025-06-30')).toBe(204.9374);
    expect(closeOn(g, 'BRK-B', '2025-06-30')).toBe(495.1); // keys are canonicalised
  });

  it('factor ETFs and VIX default to Appendix B on 2025-06-30 when the window contains it', () => {
    const g = createSyntheticGenerator(BASE);
    const want: Record<string, number> = { SPY: 615, VTV: 175, VUG: 440, MTUM: 240, QUAL: 185, IWM: 215, USMV: 94, TLT: 87, VIX: 17 };
    for (const [s, p] of Object.entries(want)) expect(closeOn(g, s, '2025-06-30'), s).toBe(p);
  });

  it('... and on the window start otherwise; other symbols get 100.00 on the first trading day of the window', () => {
    const g = createSyntheticGenerator({ start: '2023-01-01', end: '2023-12-31' });
    expect(g.quotes('VTV', D('2023-01-01'), D('2023-01-31'))[0]).toMatchObject({ date: '2023-01-03', close: 175 });
    expect(g.quotes('VIX', D('2023-01-01'), D('2023-01-31'))[0]).toMatchObject({ date: '2023-01-03', close: 17 });
    expect(g.quotes('ACME', D('2023-01-01'), D('2023-01-31'))[0]).toMatchObject({ date: '2023-01-03', close: 100 });
    expect(g.anchor('ACME').price).toBe(100);
  });

  it('an anchor on a non-trading day moves to the next trading day', () => {
    const g = createSyntheticGenerator({ ...BASE, anchors: { ACME: { date: '2025-07-05', price: 50 } } });
    expect(closeOn(g, 'ACME', '2025-07-07')).toBe(50);
    expect(g.truthRows(['ACME']).find((r) => r.kind === 'anchor')).toMatchObject({ name: '2025-07-07', value: 50 });
  });

  it('the path passes through the anchor in both directions: returns before and after it are finite and positive prices', () => {
    const g = createSyntheticGenerator({ ...BASE, anchors: { ACME: { date: '2025-01-15', price: 80 } } });
    const q = g.quotes('ACME', D('2024-05-26'), D('2025-12-31'));
    expect(q.every((x) => x.close > 0 && Number.isFinite(x.close))).toBe(true);
    expect(q.find((x) => x.date === '2025-01-15')!.close).toBe(80);
  });
});

describe('path invariants', () => {
  it('closes exist only on trading days, one per trading day', () => {
    const g = createSyntheticGenerator(BASE);
    for (const s of ['SPY', 'ACME']) {
      const q = g.quotes(s, D('2024-12-20'), D('2025-01-21'));
      expect(q.every((x) => isTradingDay(x.date))).toBe(true);
      expect(q.length).toBe(countTradingDaysBetween(D('2024-12-20'), D('2025-01-21')));
      expect(q.some((x) => x.date === '2025-01-09' || x.date === '2024-12-25' || x.date === '2025-01-01')).toBe(false);
    }
    expect(g.quotes('SPY', D('2025-01-11'), D('2025-01-12'))).toEqual([]); // a weekend
  });

  it('a sub-range equals the same days of a longer range, whatever the order of requests and the instance', () => {
    const g1 = createSyntheticGenerator(BASE);
    const short = g1.quotes('ACME', D('2025-03-01'), D('2025-03-31'));
    const g2 = createSyntheticGenerator(BASE);
    const long = g2.quotes('ACME', D('2024-06-01'), D('2025-12-31'));
    const slice = long.filter((x) => x.date >= '2025-03-01' && x.date <= '2025-03-31');
    expect(short).toEqual(slice);
    expect(g1.quotes('ACME', D('2024-06-01'), D('2025-12-31'))).toEqual(long);
    // A different window end with the same anchors leaves the path unchanged.
    const g3 = createSyntheticGenerator({ ...BASE, end: '2026-06-30' });
    expect(g3.quotes('SPY', D('2025-01-01'), D('2025-12-31'))).toEqual(g2.quotes('SPY', D('2025-01-01'), D('2025-12-31')));
  });

  it('adding a symbol changes nothing else (stream independence)', () => {
    const two = createSyntheticGenerator({ ...BASE, symbols: ['AAA', 'BBB', 'SPY'] });
    const three = createSyntheticGenerator({ ...BASE, symbols: ['CCC', 'AAA', 'ZZZ', 'BBB', 'SPY'] });
    const rows2 = two.priceRows();
    const rows3 = three.priceRows().rows.filter((r) => ['AAA', 'BBB', 'SPY'].includes(r.symbol));
    expect(rows3).toEqual(rows2.rows);
    expect(three.truthRows(['AAA', 'BBB'])).toEqual(two.truthRows(['AAA', 'BBB']));
    expect(three.profile('AAA')).toEqual(two.profile('AAA'));
  });

  it('is byte-identical for the same configuration, and differs for another seed', () => {
    const cfg: SyntheticConfigInput = { ...BASE, symbols: ['SPY', 'TLT', 'AAPL', 'ACME', 'VIX'], anchors: { AAPL: { date: '2025-06-30', price: 204.9374 } } };
    const dump = (c: SyntheticConfigInput): string => {
      const g = createSyntheticGenerator(c);
      return JSON.stringify({ prices: g.priceRows(), truth: g.truthRows(), profiles: c.symbols!.map((s) => g.profile(s)) });
    };
    const a = dump(cfg);
    expect(dump(cfg)).toBe(a);
    expect(dump({ ...cfg, seed: 43 })).not.toBe(a);
  });

  it('closes have at most 4 decimals, volumes are positive integers', () => {
    const g = createSyntheticGenerator({ ...BASE, symbols: ['SPY', 'ACME', 'VIX', 'TLT'] });
    const { rows } = g.priceRows();
    expect(rows.length).toBe(4 * countTradingDaysBetween(D('2024-05-26'), D('2025-12-31')));
    for (const r of rows) {
      expect(Math.abs(r.close * 1e4 - Math.round(r.close * 1e4))).toBeLessThan(1e-6);
      expect(Number.isInteger(r.volume) && r.volume >= 1).toBe(true);
    }
  });

  it('factor ETF closes follow the factor returns, stock closes follow loadings plus 5 % idiosyncratic noise (independent)', () => {
    const g = createSyntheticGenerator({ ...BASE, profile: 'independent' });
    const sym = Array.from({ length: 40 }, (_, i) => `M${i}`).find((s) => g.stockParams(s)!.shape!.kind === 'market')!;
    const beta = g.stockParams(sym)!.loadings[0]!;
    const spy = g.quotes('SPY', D('2024-06-01'), D('2025-12-31')).map((q) => q.close);
    const st = g.quotes(sym, D('2024-06-01'), D('2025-12-31')).map((q) => q.close);
    const resid: number[] = [];
    for (let i = 1; i < spy.length; i++) resid.push(st[i]! / st[i - 1]! - 1 - beta * (spy[i]! / spy[i - 1]! - 1));
    const sd = Math.sqrt(resid.reduce((a, r) => a + r * r, 0) / resid.length);
    // Daily idiosyncratic sd = 0.05 / sqrt(252) = 0.00315; se of the estimate about 3.5 % over 400 days.
    expect(sd / (0.05 / Math.sqrt(252))).toBeGreaterThan(0.9);
    expect(sd / (0.05 / Math.sqrt(252))).toBeLessThan(1.1);
  });

  it('seed-demo scale: 90 symbols over [2024-05-26, 2025-12-31] in one bulk call', () => {
    const symbols = [...FACTOR_ETFS, 'VIX', ...Array.from({ length: 81 }, (_, i) => `D${i}`)];
    const g = createSyntheticGenerator({ ...BASE, symbols });
    const { rows, skipped } = g.priceRows();
    expect(skipped).toEqual([]);
    expect(rows.length).toBe(90 * countTradingDaysBetween(D('2024-05-26'), D('2025-12-31')));
  });
});

describe('symbols that are never generated', () => {
  it('private-looking symbols and option contracts get no quotes, no profile, no truth rows', () => {
    const g = createSyntheticGenerator({ ...BASE, symbols: ['HOME_EQUITY', 'AAPL250718C00200000', 'EQ5D6A2D8F', 'FO_X', 'AAPL'] });
    for (const s of ['HOME_EQUITY', 'AAPL250718C00200000', 'EQ5D6A2D8F', 'FO_X']) {
      expect(g.canGenerate(s)).toBe(false);
      expect(g.quotes(s, D('2025-01-01'), D('2025-12-31'))).toEqual([]);
      expect(g.profile(s)).toBeNull();
    }
    const { rows, skipped } = g.priceRows();
    expect(skipped).toEqual(['HOME_EQUITY', 'AAPL250718C00200000', 'EQ5D6A2D8F', 'FO_X']);
    expect(new Set(rows.map((r) => r.symbol))).toEqual(new Set(['AAPL']));
    expect(new Set(g.truthRows().map((r) => r.symbol))).toEqual(new Set(['AAPL']));
  });
});

describe('fault injection (m.8, tests only)', () => {
  it('gaps drop a close; zero, negative and jump alter one print; everything else is unchanged', () => {
    const clean = createSyntheticGenerator(BASE);
    const faulty = createSyntheticGenerator({
      ...BASE,
      faults: [
        { symbol: 'ACME', date: '2025-03-03', kind: 'gap' },
        { symbol: 'ACME', date: '2025-03-04', kind: 'zero' },
        { symbol: 'ACME', date: '2025-03-05', kind: 'negative' },
        { symbol: 'acme', date: '2025-03-06', kind: 'jump' },
        { symbol: 'ACME', date: '2025-03-08', kind: 'gap' }, // a Saturday: nothing to remove
      ],
    });
    const c = clean.quotes('ACME', D('2025-02-27'), D('2025-03-10'));
    const f = faulty.quotes('ACME', D('2025-02-27'), D('2025-03-10'));
    const byDate = (q: typeof c): Map<string, number> => new Map(q.map((x) => [x.date, x.close]));
    const cm = byDate(c);
    const fm = byDate(f);
    expect(fm.has('2025-03-03')).toBe(false);
    expect(fm.get('2025-03-04')).toBe(0);
    expect(fm.get('2025-03-05')).toBe(-cm.get('2025-03-05')!);
    expect(fm.get('2025-03-06')).toBeCloseTo(10 * cm.get('2025-03-06')!, 9);
    for (const d of ['2025-02-27', '2025-02-28', '2025-03-07', '2025-03-10']) expect(fm.get(d)).toBe(cm.get(d));
    expect(f.length).toBe(c.length - 1);
    expect(faulty.quotes('SPY', D('2025-03-01'), D('2025-03-31'))).toEqual(clean.quotes('SPY', D('2025-03-01'), D('2025-03-31')));
  });
});

describe('truth rows (synthetic_truth, SPEC.md b.2 and e.9)', () => {
  const IMPLIED = ['Market Beta (90D)', 'IR Beta', 'Value', 'Growth', 'Momentum', 'Quality', 'Size', 'Low Volatility',
    'Growth-Value Spread', 'Momentum Spread', 'Size Spread', 'Quality Spread'];

  it('a stock in profile independent: 8 loadings, alpha, idio_vol, anchor, shape, 12 implied betas; keys unique', () => {
    const g = createSyntheticGenerator({ ...BASE, profile: 'independent', seed: 7 });
    const rows = g.truthRows(['ACME']);
    expect(rows.filter((r) => r.kind === 'loading').map((r) => r.name)).toEqual(FACTOR_ETFS);
    expect(rows.filter((r) => r.kind === 'implied_beta').map((r) => r.name)).toEqual(IMPLIED);
    expect(rows.find((r) => r.kind === 'alpha')).toMatchObject({ name: '', value: 0 });
    expect(rows.find((r) => r.kind === 'idio_vol')).toMatchObject({ name: '', value: 0.05 });
    expect(rows.find((r) => r.kind === 'anchor')).toMatchObject({ name: '2024-05-28', value: 100 });
    const shape = rows.filter((r) => r.kind === 'shape');
    expect(shape.length).toBe(1);
    expect(shape[0]!.value).toBe(1);
    expect(['market', 'rates', 'style', 'Growth-Value Spread', 'Momentum Spread', 'Size Spread', 'Quality Spread']).toContain(shape[0]!.name);
    expect(rows.every((r) => r.seed === 7 && r.profile === 'independent')).toBe(true);
    expect(new Set(rows.map((r) => `${r.kind}|${r.name}`)).size).toBe(rows.length);
  });

  it('a factor ETF: loading 1 on itself, no idiosyncratic part, no shape row', () => {
    const g = createSyntheticGenerator(BASE);
    const rows = g.truthRows(['VTV']);
    expect(rows.filter((r) => r.kind === 'loading').map((r) => r.value)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(rows.find((r) => r.kind === 'idio_vol')!.value).toBe(0);
    expect(rows.some((r) => r.kind === 'shape')).toBe(false);
    expect(rows.find((r) => r.name === 'Market Beta (90D)')!.value).toBeCloseTo((0.9 * 0.15) / 0.16, 12);
  });
});

describe('profiles (e.9, m.8, Appendix B.2)', () => {
  const g = createSyntheticGenerator(BASE);
  it('mapped companies, ETFs, funds and the VIX index', () => {
    expect(g.profile('AAPL')).toMatchObject({ symbol: 'AAPL', companyName: 'AAPL (synthetic)', sector: 'Technology', isEtf: false, isFund: false, dataSource: 'synthetic' });
    expect(g.profile('AAPL')!.industry).toBeTypeOf('string');
    expect(g.profile('AAPL')!.marketCap).toBeGreaterThanOrEqual(2e9);
    expect(g.profile('BRK.B')).toMatchObject({ symbol: 'BRK-B', sector: 'Financial Services' });
    expect(g.profile('SPY')).toMatchObject({ sector: null, industry: null, marketCap: null, isEtf: true, isFund: false, beta: 1 });
    expect(g.profile('TLT')).toMatchObject({ isEtf: true, beta: roundCents((-0.2 * 0.14) / 0.16) });
    expect(g.profile('QQQ')).toMatchObject({ isEtf: true, sector: null });
    expect(g.profile('FCNTX')).toMatchObject({ isFund: true, isEtf: false, sector: null });
    expect(g.profile('VIX')).toMatchObject({ isEtf: false, isFund: false, sector: null });
  });

  it('other symbols: the sector drawn from params:<SYMBOL>; beta = implied Market Beta rounded to 2 decimals', () => {
    const p = g.profile('ACME')!;
    expect(p.sector).toBe(g.stockParams('ACME')!.drawnSector);
    expect(p.isEtf).toBe(false);
    expect(p.beta).toBe(roundCents(g.impliedBetas('ACME')![0]!.value));
    expect(p.marketCap! % 1e6).toBe(0);
  });
});
