import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { formatPricesCsv, parsePricesCsv, type PriceCsvRow } from '../../../market-data/csv/prices-csv';
import { seededRandom } from '../../support/yahoo-mock/test-doubles';

const CANONICAL = ['symbol,date,close,volume', 'AAPL,2024-01-02,185.64,82488700', 'AAPL,2024-01-03,184.25,', 'BRK-B,2024-01-02,362.5,3904300', 'SPY,2024-01-02,472.65,123623700', ''].join('\n');

/** What csv-parse's "Invalid Closing Quote" becomes: a quote followed by text, which leaves the parser in the quoted value. */
const BAD_CLOSING_QUOTE = 'not valid CSV: a quoted value opened on this line has text after its closing quote (a quote inside a quoted value is written twice: "")';

describe('parsePricesCsv (prices import, SPEC k.2, m.14)', async () => {
  it('reads rows, with an empty volume as null', async () => {
    const r = await parsePricesCsv(CANONICAL);
    expect(r).toEqual({
      ok: true,
      skipped: [],
      rows: [
        { symbol: 'AAPL', date: '2024-01-02', close: 185.64, volume: 82488700 },
        { symbol: 'AAPL', date: '2024-01-03', close: 184.25, volume: null },
        { symbol: 'BRK-B', date: '2024-01-02', close: 362.5, volume: 3904300 },
        { symbol: 'SPY', date: '2024-01-02', close: 472.65, volume: 123623700 },
      ],
    });
  });

  it('accepts a BOM, CRLF, any header case and order, no volume column, extra columns; canonicalises symbols', async () => {
    const r = await parsePricesCsv('\ufeffDate,Close,Symbol,Note\r\n2024-01-02,362.5,brk.b,x\r\n');
    expect(r).toEqual({ ok: true, skipped: [], rows: [{ symbol: 'BRK-B', date: '2024-01-02', close: 362.5, volume: null }] });
  });

  // Each bad row: the line (header = 1) and the column (name, 1-based position) are named.
  it.each([
    ['missing column', 'AAPL,2024-01-04', 'missing_column', 'close', 3],
    ['empty symbol', ',2024-01-04,1,1', 'missing_value', 'symbol', 1],
    ['bad date', 'AAPL,2024-02-30,1,1', 'bad_date', 'date', 2],
    ['date in another format', 'AAPL,01/04/2024,1,1', 'bad_date', 'date', 2],
    ['empty close', 'AAPL,2024-01-04,,1', 'missing_value', 'close', 3],
    ['non-numeric close', 'AAPL,2024-01-04,abc,1', 'bad_number', 'close', 3],
    ['close with a thousands separator', 'AAPL,2024-01-04,"1,234.5",1', 'bad_number', 'close', 3],
    ['zero close', 'AAPL,2024-01-04,0,1', 'non_positive_close', 'close', 3],
    ['negative close', 'AAPL,2024-01-04,-1.5,1', 'non_positive_close', 'close', 3],
    ['non-numeric volume', 'AAPL,2024-01-04,1,lots', 'bad_number', 'volume', 4],
    ['fractional volume', 'AAPL,2024-01-04,1,1.5', 'bad_number', 'volume', 4],
    ['extra cell', 'AAPL,2024-01-04,1,1,9', 'extra_column', null, 5],
    ['duplicate (symbol, date)', 'AAPL,2024-01-02,186,1', 'duplicate', 'date', 2],
    ['duplicate after canonicalisation', 'aapl,2024-01-02,186,1', 'duplicate', 'date', 2],
  ])('%s stops the import with line 3 and the column', async (_label, row, kind, column, columnNumber) => {
    const text = `symbol,date,close,volume\nAAPL,2024-01-02,185.64,82488700\n${row}\nAAPL,2024-01-05,181.18,1\n`;
    const r = await parsePricesCsv(text, { file: 'in.csv' });
    expect(r).toMatchObject({ ok: false, problem: { file: 'in.csv', line: 3, kind, column, columnNumber } });
  });

  it('a volume is a whole number >= 0, in any decimal notation, or empty', async () => {
    const r = await parsePricesCsv('symbol,date,close,volume\nA,2024-01-02,1,0\nA,2024-01-03,1,2.0\nA,2024-01-04,1,1e3\nA,2024-01-05,1,\n');
    expect(r.ok && r.rows.map((x) => x.volume)).toEqual([0, 2, 1000, null]);
    for (const [volume, shown] of [['1.5', '"1.5"'], ['-3', '"-3"']]) {
      expect(await parsePricesCsv(`symbol,date,close,volume\nA,2024-01-02,1,${volume}\n`), volume).toMatchObject({
        ok: false,
        problem: { line: 2, column: 'volume', columnNumber: 4, kind: 'bad_number', message: `expected a whole number >= 0 or nothing, got ${shown}` },
      });
    }
  });

  it('a symbol is well formed once canonical; anything else is a bad row', async () => {
    const r = await parsePricesCsv('symbol,date,close\nbrk.b,2024-01-02,1\n^VIX,2024-01-02,1\nGC=F,2024-01-02,1\nHOME_EQUITY,2024-01-02,1\nSPY250919C00460000,2024-01-02,1\n');
    expect(r.ok && r.rows.map((x) => x.symbol)).toEqual(['BRK-B', '^VIX', 'GC=F', 'HOME_EQUITY', 'SPY250919C00460000']);
    for (const bad of ['BADSYM!!', 'A B', '-A', '$SPY', 'X'.repeat(33)]) {
      expect(await parsePricesCsv(`symbol,date,close\n${bad},2024-01-02,1\n`), bad).toMatchObject({ ok: false, problem: { line: 2, column: 'symbol', columnNumber: 1, kind: 'bad_symbol' } });
    }
  });

  it('a close dated after today is a bad row; today and earlier are not', async () => {
    const text = 'symbol,date,close\nA,2024-01-04,1\nA,2024-01-05,1\nA,2024-01-08,1\n';
    const today = '2024-01-05' as IsoDate;
    expect(await parsePricesCsv(text, { file: 'in.csv', today })).toMatchObject({
      ok: false,
      problem: { file: 'in.csv', line: 4, column: 'date', columnNumber: 2, kind: 'bad_date', message: '2024-01-08 is after today (2024-01-05 in New York)' },
    });
    const skipping = await parsePricesCsv(text, { today, skipBadRows: true });
    expect(skipping.ok && skipping.rows.map((x) => x.date)).toEqual(['2024-01-04', '2024-01-05']);
    expect(skipping.ok && skipping.skipped.map((p) => [p.line, p.kind])).toEqual([[4, 'bad_date']]);
    // Checked before checkDate, which would give a less telling reason.
    expect(await parsePricesCsv('symbol,date,close\nA,2024-01-08,1\n', { today, checkDate: () => 'not a trading day' })).toMatchObject({
      ok: false,
      problem: { line: 2, message: '2024-01-08 is after today (2024-01-05 in New York)' },
    });
  });

  it('names the leftmost bad column of a row', async () => {
    const r = await parsePricesCsv('symbol,date,close,volume\nAAPL,nope,abc,x\n');
    expect(r).toMatchObject({ ok: false, problem: { line: 2, column: 'date', kind: 'bad_date' } });
  });

  it('a duplicate names the line of the first occurrence', async () => {
    const r = await parsePricesCsv('symbol,date,close\nA,2024-01-02,1\nB,2024-01-02,1\nA,2024-01-02,2\n');
    expect(r).toMatchObject({ ok: false, problem: { line: 4, message: 'A on 2024-01-02 again (first on line 2)' } });
  });

  it('a header without a required column is refused whatever skipBadRows says', async () => {
    for (const skipBadRows of [false, true]) {
      expect(await parsePricesCsv('symbol,day,close\nA,2024-01-02,1\n', { skipBadRows })).toMatchObject({ ok: false, problem: { line: 1, kind: 'missing_column', column: 'date' } });
    }
    expect(await parsePricesCsv('symbol,date,close,Close\n')).toMatchObject({ ok: false, problem: { kind: 'duplicate_header', column: 'Close', columnNumber: 4 } });
    expect(await parsePricesCsv('')).toMatchObject({ ok: false, problem: { kind: 'missing_header' } });
  });

  it('with skipBadRows keeps the good rows and reports every skipped row in line order', async () => {
    const text = [
      'symbol,date,close,volume',
      'AAPL,2024-01-02,185.64,1', // 2 ok
      'AAPL,2024-13-01,1,1', // 3 bad date
      'AAPL,2024-01-03,0,1', // 4 non-positive
      'AAPL,2024-01-04,1"5,1', // 5 a quote inside an unquoted value: this row only
      'AAPL,2024-01-05,186,1', // 6 ok
    ].join('\n');
    const r = await parsePricesCsv(`${text}\n`, { skipBadRows: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows.map((x) => x.date)).toEqual(['2024-01-02', '2024-01-05']);
    expect(r.skipped.map((p) => [p.line, p.kind])).toEqual([
      [3, 'bad_date'],
      [4, 'non_positive_close'],
      [5, 'malformed_csv'],
    ]);
  });

  // csv-parse reads the lines after such a quote into the quoted value: skipping its row would
  // drop the good rows after it without a word, so the file is refused, skipBadRows or not.
  it.each([
    ['text after a closing quote', 'AAPL,2025-07-02,"2"x', 'bad_closing_quote', BAD_CLOSING_QUOTE],
    ['a space and text after a closing quote', 'AAPL,2025-07-02,"2" x', 'bad_closing_quote', BAD_CLOSING_QUOTE],
    ['a quote not doubled inside a quoted value', 'AAPL,"2025-07-"02"",2', 'bad_closing_quote', BAD_CLOSING_QUOTE],
    ['a quote never closed', 'AAPL,"2025-07-02,2', 'unclosed_quote', 'not valid CSV: a quote opened on this line is never closed'],
  ])('%s refuses the file even with skipBadRows, naming the line the quote opens on', async (_label, row, kind, message) => {
    const text = `symbol,date,close\nAAPL,2025-07-01,1\n${row}\nAAPL,2025-07-03,3\nAAPL,2025-07-07,4\n`;
    for (const skipBadRows of [true, false]) {
      expect(await parsePricesCsv(text, { file: 'p.csv', skipBadRows })).toEqual({ ok: false, problem: { file: 'p.csv', line: 3, column: null, columnNumber: null, kind, message } });
    }
  });

  it('with skipBadRows a duplicate keeps the first occurrence', async () => {
    const r = await parsePricesCsv('symbol,date,close\nA,2024-01-02,1\nA,2024-01-02,2\nA,2024-01-03,3\n', { skipBadRows: true });
    expect(r.ok && r.rows.map((x) => x.close)).toEqual([1, 3]);
    expect(r.ok && r.skipped.map((p) => [p.line, p.kind])).toEqual([[3, 'duplicate']]);
  });

  it('an unclosed quote without skipBadRows stops, naming the line where the quote opens', async () => {
    const r = await parsePricesCsv('symbol,date,close\nA,2024-01-02,1\n\nA,"2024-01-03,2\nA,2024-01-04,3\n');
    expect(r).toMatchObject({ ok: false, problem: { kind: 'unclosed_quote', line: 4, message: 'not valid CSV: a quote opened on this line is never closed' } });
  });
});

describe('formatPricesCsv (prices export)', async () => {
  it('export of an import gives the same file back (canonical file)', async () => {
    const r = await parsePricesCsv(CANONICAL);
    expect(r.ok && formatPricesCsv(r.rows)).toBe(CANONICAL);
  });

  it('sorts by symbol then date, writes LF, shortest numbers, no BOM', async () => {
    const rows: PriceCsvRow[] = [
      { symbol: 'SPY', date: '2024-01-03' as IsoDate, close: 470.1, volume: null },
      { symbol: 'AAPL', date: '2024-01-03' as IsoDate, close: 184.25, volume: 0 },
      { symbol: 'AAPL', date: '2024-01-02' as IsoDate, close: 185.63999938964844, volume: 1e21 },
    ];
    expect(formatPricesCsv(rows)).toBe('symbol,date,close,volume\nAAPL,2024-01-02,185.63999938964844,1e+21\nAAPL,2024-01-03,184.25,0\nSPY,2024-01-03,470.1,\n');
    expect(formatPricesCsv([])).toBe('symbol,date,close,volume\n');
  });

  it('invariant: parse(format(rows)) == rows and format(parse(format(rows))) == format(rows), 200 random rows', async () => {
    const random = seededRandom(2024);
    const symbols = ['AAPL', 'BRK-B', 'SPY', '^VIX', 'X'];
    const seen = new Set<string>();
    const rows: PriceCsvRow[] = [];
    while (rows.length < 200) {
      const symbol = symbols[Math.floor(random.next() * symbols.length)]!;
      const date = `2024-${String(1 + Math.floor(random.next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random.next() * 28)).padStart(2, '0')}` as IsoDate;
      if (seen.has(`${symbol} ${date}`)) continue;
      seen.add(`${symbol} ${date}`);
      const close = random.next() < 0.1 ? Math.fround(1 + random.next() * 500) : Math.round(random.next() * 1e6) / 1e4 + 0.0001;
      rows.push({ symbol, date, close, volume: random.next() < 0.2 ? null : Math.floor(random.next() * 1e9) });
    }
    const text = formatPricesCsv(rows);
    const back = await parsePricesCsv(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const sorted = [...rows].sort((a, b) => (a.symbol + a.date < b.symbol + b.date ? -1 : 1));
    expect(back.rows).toEqual(sorted);
    expect(formatPricesCsv(back.rows)).toBe(text);
  });
});
