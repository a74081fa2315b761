import { describe, expect, it } from 'vitest';
import type { Timestamp } from '../../../core/domain/timestamp';
import type { CompanyProfile } from '../../../core/ports/market-data';
import { formatProfilesCsv, parseProfilesCsv, PROFILE_CSV_COLUMNS, type ProfileCsvRow } from '../../../market-data/csv/profiles-csv';

const HEADER = PROFILE_CSV_COLUMNS.join(',');
const AAPL_LINE =
  'AAPL,Apple Inc.,Technology,Consumer Electronics,NasdaqGS,United States,2875068203008,"Apple Inc. designs, manufactures, and markets smartphones.",0,0,1.29,30.23,27.58,0.0052,199.62,128.12,161000,https://www.apple.com,yahoo,2024-01-16T01:00:00.000000Z';
const SPY_LINE = 'SPY,SPDR S&P 500 ETF Trust,,,NYSEArca,,,,1,0,,24.93,,,478.6,377.83,,,yahoo,2024-01-16T01:00:00.000000Z';
const VFIAX_LINE = 'VFIAX,"Vanguard 500 Index Fund ""Admiral"" Shares",,,Nasdaq,,,"Line one\nline two",0,1,,,,,438.86,348.85,,,csv,';
const CANONICAL = [HEADER, AAPL_LINE, SPY_LINE, VFIAX_LINE, ''].join('\n');

const profile = (p: Partial<CompanyProfile> & { symbol: string }): CompanyProfile => ({
  companyName: null,
  sector: null,
  industry: null,
  exchange: null,
  country: null,
  marketCap: null,
  description: null,
  isEtf: false,
  isFund: false,
  beta: null,
  peRatio: null,
  forwardPe: null,
  dividendYield: null,
  week52High: null,
  week52Low: null,
  employees: null,
  website: null,
  dataSource: 'csv',
  ...p,
});

describe('parseProfilesCsv (profiles import)', async () => {
  it('reads every column', async () => {
    const r = await parseProfilesCsv(CANONICAL);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows[0]).toEqual({
      lastUpdated: '2024-01-16T01:00:00.000000Z',
      profile: profile({
        symbol: 'AAPL',
        companyName: 'Apple Inc.',
        sector: 'Technology',
        industry: 'Consumer Electronics',
        exchange: 'NasdaqGS',
        country: 'United States',
        marketCap: 2875068203008,
        description: 'Apple Inc. designs, manufactures, and markets smartphones.',
        beta: 1.29,
        peRatio: 30.23,
        forwardPe: 27.58,
        dividendYield: 0.0052,
        week52High: 199.62,
        week52Low: 128.12,
        employees: 161000,
        website: 'https://www.apple.com',
        dataSource: 'yahoo',
      }),
    });
    expect(r.rows[1]!.profile).toMatchObject({ symbol: 'SPY', isEtf: true, sector: null, marketCap: null, peRatio: 24.93 });
    expect(r.rows[2]).toMatchObject({ lastUpdated: null, profile: { symbol: 'VFIAX', isFund: true, companyName: 'Vanguard 500 Index Fund "Admiral" Shares', description: 'Line one\nline two', dataSource: 'csv' } });
    expect(r.columns).toEqual(PROFILE_CSV_COLUMNS);
  });

  it('needs only the symbol column; absent columns read as empty and are not among the columns', async () => {
    const r = await parseProfilesCsv('\ufeffIS_ETF,Symbol,Sector\r\ntrue,brk.b,Financial Services\r\n');
    expect(r).toEqual({
      ok: true,
      skipped: [],
      rows: [{ lastUpdated: null, profile: profile({ symbol: 'BRK-B', sector: 'Financial Services', isEtf: true }) }],
      columns: ['symbol', 'sector', 'is_etf'],
    });
  });

  it('refuses a header with a column that is not a company_profiles column, naming every unknown one and the accepted ones', async () => {
    const accepted = `(accepted: ${PROFILE_CSV_COLUMNS.join(', ')})`;
    for (const skipBadRows of [false, true]) {
      expect(await parseProfilesCsv('symbol,bogus_col\nAAPL,x\n', { file: 'p.csv', skipBadRows })).toEqual({
        ok: false,
        problem: { file: 'p.csv', line: 1, column: 'bogus_col', columnNumber: 2, kind: 'unknown_column', message: `unknown column "bogus_col" ${accepted}` },
      });
    }
    expect(await parseProfilesCsv('symbol,Sector,ticker,,marketcap\n')).toMatchObject({
      ok: false,
      problem: { column: 'ticker', columnNumber: 3, kind: 'unknown_column', message: `unknown columns "ticker", "", "marketcap" ${accepted}` },
    });
  });

  it.each([
    ['missing column', 'X,Name', 'missing_column', 'sector', 3],
    ['empty symbol', ',Name,,,,,,,0,0,,,,,,,,,,', 'missing_value', 'symbol', 1],
    ['non-numeric market cap', 'X,,,,,,2.8T,,0,0,,,,,,,,,,', 'bad_number', 'market_cap', 7],
    ['bad boolean', 'X,,,,,,,,yes,0,,,,,,,,,,', 'bad_boolean', 'is_etf', 9],
    ['employees not whole', 'X,,,,,,,,0,0,,,,,,,1.5,,,', 'bad_number', 'employees', 17],
    ['malformed symbol', 'BAD!,,,,,,,,0,0,,,,,,,,,,', 'bad_symbol', 'symbol', 1],
    ['negative market cap', 'X,,,,,,-2875068203008,,0,0,,,,,,,,,,', 'bad_number', 'market_cap', 7],
    ['timestamp without a zone', 'X,,,,,,,,0,0,,,,,,,,,,2024-01-16T01:00:00', 'bad_timestamp', 'last_updated', 20],
    ['timestamp with 7 fraction digits', 'X,,,,,,,,0,0,,,,,,,,,,2024-01-16T01:00:00.1234567Z', 'bad_timestamp', 'last_updated', 20],
    ['no such day', 'X,,,,,,,,0,0,,,,,,,,,,2025-02-29', 'bad_timestamp', 'last_updated', 20],
    ['description too long', `X,,,,,,,${'d'.repeat(1001)},0,0,,,,,,,,,,`, 'too_long', 'description', 8],
    ['negative employees', 'X,,,,,,,,0,0,,,,,,,-5,,,', 'bad_number', 'employees', 17],
    ['sector too long', `X,,${'s'.repeat(201)},,,,,,0,0,,,,,,,,,,`, 'too_long', 'sector', 3],
    ['data source too long', `X,,,,,,,,0,0,,,,,,,,,${'d'.repeat(201)},`, 'too_long', 'data_source', 19],
    ['duplicate symbol', 'aapl,,,,,,,,0,0,,,,,,,,,,', 'duplicate', 'symbol', 1],
  ])('%s stops the import with line 3 and the column', async (_label, row, kind, column, columnNumber) => {
    const r = await parseProfilesCsv(`${HEADER}\n${AAPL_LINE}\n${row}\n${SPY_LINE}\n`, { file: 'profiles.csv' });
    expect(r).toMatchObject({ ok: false, problem: { file: 'profiles.csv', line: 3, kind, column, columnNumber } });
  });

  it('with skipBadRows keeps the good rows and reports the others', async () => {
    const r = await parseProfilesCsv(`${HEADER}\n${AAPL_LINE}\nX,,,,,,bad,,0,0,,,,,,,,,,\n${SPY_LINE}\nAAPL,,,,,,,,0,0,,,,,,,,,,\n`, { skipBadRows: true });
    expect(r.ok && r.rows.map((x) => x.profile.symbol)).toEqual(['AAPL', 'SPY']);
    expect(r.ok && r.skipped.map((p) => [p.line, p.kind])).toEqual([
      [3, 'bad_number'],
      [5, 'duplicate'],
    ]);
  });

  it('with skipBadRows a quote inside an unquoted value skips that row only', async () => {
    const r = await parseProfilesCsv('symbol,company_name,sector\nAAPL,Apple,Tech\nMSFT,Micro"soft,Tech\nSPY,SPDR,\n', { file: 'p.csv', skipBadRows: true });
    expect(r.ok && r.rows.map((x) => x.profile.symbol)).toEqual(['AAPL', 'SPY']);
    expect(r.ok && r.skipped).toEqual([
      { file: 'p.csv', line: 3, column: null, columnNumber: null, kind: 'malformed_csv', message: 'not valid CSV: Invalid Opening Quote: a quote is found in column 2, value is "Micro"' },
    ]);
  });

  // csv-parse reads the lines after such a quote into the quoted value (here the rows of MSFT
  // and SPY): skipping it would drop them without a word, so the file is refused, skipBadRows or not.
  it.each([
    ['a quote not doubled inside a quoted value', 'AAPL,"Apple "the" company",Tech', 'bad_closing_quote', 'not valid CSV: a quoted value opened on this line has text after its closing quote (a quote inside a quoted value is written twice: "")'],
    ['a quote never closed', 'AAPL,"Apple,Tech', 'unclosed_quote', 'not valid CSV: a quote opened on this line is never closed'],
  ])('%s refuses the file even with skipBadRows', async (_label, row, kind, message) => {
    const text = `symbol,company_name,sector\nIBM,IBM,Tech\n${row}\nMSFT,Microsoft,Tech\nSPY,SPDR,\n`;
    for (const skipBadRows of [true, false]) {
      expect(await parseProfilesCsv(text, { file: 'p.csv', skipBadRows })).toEqual({ ok: false, problem: { file: 'p.csv', line: 3, column: null, columnNumber: null, kind, message } });
    }
  });

  it('a malformed symbol, a negative market cap and a bad timestamp say why', async () => {
    const problem = async (row: string) => {
      const r = await parseProfilesCsv(`${HEADER}\n${row}\n`);
      return r.ok ? null : r.problem.message;
    };
    expect(await problem('BAD!,,,,,,,,0,0,,,,,,,,,,')).toBe(`expected a symbol of letters, digits, '-', '_' or '=' (at most 32, an optional leading '^'), got "BAD!"`);
    expect(await problem('X,,,,,,-5,,0,0,,,,,,,,,,')).toBe('the market cap must be >= 0, got "-5"');
    expect(await problem('X,,,,,,,,0,0,,,,,,,,,,16/01/2024')).toBe('expected a timestamp with Z or an offset (2025-07-01T10:00:00Z, 2025-07-01T06:00:00.123-04:00), a date YYYY-MM-DD, or nothing, got "16/01/2024"');
  });

  it('a last_updated over a day after now is a bad timestamp; a day ahead (clocks disagree) and a 200-character sector are fine', async () => {
    const now = '2026-11-27T23:00:00.000000Z' as Timestamp;
    expect(await parseProfilesCsv('symbol,last_updated\nX,2026-11-28T23:00:00.001Z\n', { now })).toMatchObject({
      ok: false,
      problem: { line: 2, kind: 'bad_timestamp', column: 'last_updated', message: '"2026-11-28T23:00:00.001Z" is more than a day after now (2026-11-27T23:00:00.000000Z)' },
    });
    const r = await parseProfilesCsv(`symbol,sector,last_updated\nX,${'s'.repeat(200)},2026-11-28T18:00:00-05:00\n`, { now });
    expect(r.ok && [r.rows[0]!.lastUpdated, r.rows[0]!.profile.sector?.length]).toEqual(['2026-11-28T23:00:00.000000Z', 200]);
  });

  it('a zero market cap and the symbols prices import accepts are good rows', async () => {
    const r = await parseProfilesCsv('symbol,market_cap\n^vix,0\nbrk.b,\nGC=F,1e9\n');
    expect(r.ok && r.rows.map((x) => [x.profile.symbol, x.profile.marketCap])).toEqual([
      ['^VIX', 0],
      ['BRK-B', null],
      ['GC=F', 1e9],
    ]);
  });

  it.each([
    ['2024-01-16T01:00:00.000000Z', '2024-01-16T01:00:00.000000Z'],
    ['2024-01-16T01:00:00Z', '2024-01-16T01:00:00.000000Z'],
    ['2024-01-16T01:00:00.5Z', '2024-01-16T01:00:00.500000Z'],
    ['2024-01-16T01:00:00.123Z', '2024-01-16T01:00:00.123000Z'],
    ['2024-01-16T01:00:00.123456Z', '2024-01-16T01:00:00.123456Z'],
    ['2024-01-16T01:00Z', '2024-01-16T01:00:00.000000Z'],
    ['2024-01-16 01:00:00z', '2024-01-16T01:00:00.000000Z'],
    ['2024-01-15T20:00:00.250-05:00', '2024-01-16T01:00:00.250000Z'],
    ['2024-01-16T06:30:00+0530', '2024-01-16T01:00:00.000000Z'],
    ['2024-01-16T03:00:00+02', '2024-01-16T01:00:00.000000Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000000Z'],
  ])('last_updated %s is stored as %s', async (text, stored) => {
    const r = await parseProfilesCsv(`symbol,last_updated\nX,${text}\n`);
    expect(r.ok && r.rows[0]!.lastUpdated).toBe(stored);
  });

  it.each(['2024-01-16T24:00:00Z', '2024-13-01', '2024-01-16T01:60:00Z', '2024-01-16T01:00:00+05:60', '0099-01-01', '9999-12-31T23:00:00-02:00', '2024-01-16T01:00:00.Z', '2024-01-16x'])(
    'last_updated %s is a bad timestamp',
    async (text) => {
      expect(await parseProfilesCsv(`symbol,last_updated\nX,${text}\n`)).toMatchObject({ ok: false, problem: { line: 2, kind: 'bad_timestamp', column: 'last_updated' } });
    },
  );

  it('a 1,000-character description is accepted', async () => {
    const r = await parseProfilesCsv(`symbol,description\nX,${'d'.repeat(1000)}\n`);
    expect(r.ok && r.rows[0]!.profile.description).toHaveLength(1000);
  });

  it('refuses a header without symbol', async () => {
    expect(await parseProfilesCsv('ticker,sector\nX,Y\n')).toMatchObject({ ok: false, problem: { line: 1, kind: 'missing_column', column: 'symbol' } });
  });
});

describe('formatProfilesCsv (profiles export)', async () => {
  it('export of an import gives the same file back', async () => {
    const r = await parseProfilesCsv(CANONICAL);
    expect(r.ok && formatProfilesCsv(r.rows)).toBe(CANONICAL);
  });

  it('invariant: parse(format(rows)) == rows, including quotes, commas, line breaks and edge spaces', async () => {
    const rows: ProfileCsvRow[] = [
      { lastUpdated: null, profile: profile({ symbol: 'B', companyName: ' padded ', description: 'a "quoted", multi\r\nline text', isFund: true, employees: 0, beta: -0.5 }) },
      { lastUpdated: '2024-02-01T00:00:00.000000Z' as Timestamp, profile: profile({ symbol: 'A', dataSource: 'yahoo', marketCap: 1e21, dividendYield: 1e-7 }) },
    ];
    const text = formatProfilesCsv(rows);
    const back = await parseProfilesCsv(text);
    expect(back.ok && back.rows).toEqual([rows[1], rows[0]]);
    expect(back.ok && formatProfilesCsv(back.rows)).toBe(text);
  });
});
