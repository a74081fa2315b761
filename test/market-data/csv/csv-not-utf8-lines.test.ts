/**
 * Bytes that are not UTF-8 in an import file (a Latin-1 "é" is the one byte 0xE9). They once
 * moved every problem after them up a line or more: the record's first line was found by taking
 * its decoded text's length in bytes off csv-parse's byte count, and each such byte, decoded as
 * U+FFFD, counts 3. `prices import` said "line 3" of a bad row on line 4, and "line 1" (the
 * header) of one on line 2, with and without --skip-bad-rows. And the row was blamed for a
 * malformed symbol, got "ZZ\ufffd", where the file's encoding was at fault.
 */
import { describe, expect, it } from 'vitest';
import { readCsv, type CsvSource } from '../../../market-data/csv/csv-table';
import { parsePricesCsv } from '../../../market-data/csv/prices-csv';
import { parseProfilesCsv, PROFILE_CSV_COLUMNS } from '../../../market-data/csv/profiles-csv';

/** The file's bytes: text as UTF-8, the rest as it is. */
const bytes = (...parts: (string | number[] | Uint8Array)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** `data` cut into chunks of `size` bytes, as a file stream hands them over. */
function chunked(data: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) chunks.push(data.subarray(i, i + size));
  return chunks;
}

/** Text in Latin-1, one byte a character: "é" is 0xE9, which is no UTF-8 character. */
const latin1 = (text: string): number[] => [...Buffer.from(text, 'latin1')];
const NOT_UTF8 = (shown: string): string => `not valid UTF-8: got ${shown}, where \\ufffd stands for bytes that are no UTF-8 character (save the file as UTF-8)`;

/** Reads `source` taking every record: [line, notUtf8, ...cells] of each. */
async function records(source: CsvSource): Promise<(string | number | boolean)[][]> {
  const seen: (string | number | boolean)[][] = [];
  const read = await readCsv(source, {}, { header: () => null, record: (r) => (seen.push([r.line, r.notUtf8, ...r.cells]), null) });
  expect(read.ok).toBe(true);
  return seen;
}

describe('readCsv with bytes that are not UTF-8', () => {
  it('numbers records by their line and marks those holding such bytes, read in chunks of any size', async () => {
    // Provenance: counted by hand. Line 2 a lone continuation byte; 3 a sequence cut by the line
    // end; 4 valid "é" and a U+FFFD written as such (EF BF BD); 5-6 a quoted value over two lines
    // with an overlong "/" (C0 AF) on 6; 7 blank; 8 a surrogate (ED A0 80); 9 a code point past
    // U+10FFFF (F4 90 80 80); 10 a sequence cut by the end of the file.
    const data = bytes(
      '\ufeffa,b\r\n',
      'x', [0x80], ',1\r\n',
      'caf', [0xc3], '\r\n',
      'é,\ufffd\n',
      '"two\r\nlines ', [0xc0, 0xaf], '",2\n',
      '  \n',
      [0xed, 0xa0, 0x80], ',3\r',
      '4,', [0xf4, 0x90, 0x80, 0x80], '\n',
      'end', [0xe2, 0x82],
    );
    const expected = [
      [2, true, 'x\ufffd', '1'],
      [3, true, 'caf\ufffd'],
      [4, false, 'é', '\ufffd'],
      [5, true, 'two\r\nlines \ufffd\ufffd', '2'],
      [8, true, '\ufffd\ufffd\ufffd', '3'],
      [9, true, '4', '\ufffd\ufffd\ufffd\ufffd'],
      [10, true, 'end\ufffd'],
    ];
    expect(await records([data])).toEqual(expected);
    for (let size = 1; size < data.length; size += 1) expect(await records(chunked(data, size)), `chunks of ${size} bytes`).toEqual(expected);
  });
});

describe('prices import of a file with bytes that are not UTF-8', () => {
  const header = 'symbol,date,close,volume\n';
  const good = (day: number): string => `ZZZ,2025-07-0${day},10,100\n`;
  const bad = bytes(latin1('ZZé,2025-07-09,10,100\n'));

  it.each([
    // The reported repro: the bad row on line 4 was said to be on line 3.
    ['line 4', bytes(header, good(1), good(2), bad, good(3)), 4, [1, 2, 3]],
    // On line 2 it was said to be the header's.
    ['line 2', bytes(header, bad, good(1), good(2)), 2, [1, 2]],
    // A quoted value over lines 3-4 (in a column prices ignores), CRLF and a BOM.
    ['line 6, after a quoted line break', bytes('\ufeffsymbol,date,close,note\r\n', 'ZZZ,2025-07-01,10,a\r\n', 'ZZZ,2025-07-02,10,"two\r\nlines"\r\n', 'ZZZ,2025-07-03,10,b\r\n', latin1('ZZé,2025-07-09,10,c\r\n'), 'ZZZ,2025-07-04,10,d\r\n'), 6, [1, 2, 3, 4]],
  ])('names the line of the bad row (%s), says the file is not UTF-8, and skips it when asked', async (_label, data, line, days) => {
    const problem = { file: 'l.csv', line, column: 'symbol', columnNumber: 1, kind: 'not_utf8', message: NOT_UTF8('"ZZ\\ufffd"') };
    for (let size = 1; size <= data.length; size += 1) {
      const source = chunked(data, size);
      expect(await parsePricesCsv(source, { file: 'l.csv' }), `chunks of ${size} bytes`).toEqual({ ok: false, problem });
      const skipping = await parsePricesCsv(chunked(data, size), { file: 'l.csv', skipBadRows: true });
      expect(skipping.ok && { skipped: skipping.skipped, dates: skipping.rows.map((r) => r.date) }, `chunks of ${size} bytes`).toEqual({ skipped: [problem], dates: days.map((d) => `2025-07-0${d}`) });
    }
  });

  it('a column it ignores may hold such bytes; a U+FFFD written as such is a malformed symbol', async () => {
    const ignored = await parsePricesCsv([bytes('symbol,date,close,note\n', latin1('ZZZ,2025-07-01,10,café\n'), 'ZZ\ufffd,2025-07-02,10,\n')], { skipBadRows: true });
    expect(ignored).toMatchObject({ ok: true, rows: [{ symbol: 'ZZZ', date: '2025-07-01' }], skipped: [{ line: 3, kind: 'bad_symbol' }] });
  });
});

describe('profiles import of a file with bytes that are not UTF-8', () => {
  const header = `${PROFILE_CSV_COLUMNS.join(',')}\n`;
  // symbol, description (column 8) and the 18 other columns empty or false.
  const profile = (symbol: string | number[], description: string | number[] = ''): Buffer => bytes(symbol, ',,,,,,,', description, ',0,0,,,,,,,,,,\n');
  const bad = profile(latin1('ZZé'));

  it.each([
    ['line 4', bytes(header, profile('AAA'), profile('BBB'), bad, profile('CCC')), 4, ['AAA', 'BBB', 'CCC']],
    ['line 2', bytes(header, bad, profile('AAA')), 2, ['AAA']],
    ['line 5, after a description over lines 3-4', bytes(header, profile('AAA'), profile('BBB', '"Line one\nline two"'), bad, profile('CCC')), 5, ['AAA', 'BBB', 'CCC']],
  ])('names the line of the bad row (%s), says the file is not UTF-8, and skips it when asked', async (_label, data, line, symbols) => {
    const problem = { file: 'p.csv', line, column: 'symbol', columnNumber: 1, kind: 'not_utf8', message: NOT_UTF8('"ZZ\\ufffd"') };
    expect(await parseProfilesCsv([data], { file: 'p.csv' })).toEqual({ ok: false, problem });
    const skipping = await parseProfilesCsv([data], { file: 'p.csv', skipBadRows: true });
    expect(skipping.ok && { skipped: skipping.skipped, symbols: skipping.rows.map((r) => r.profile.symbol) }).toEqual({ skipped: [problem], symbols });
  });

  it('a description with such bytes is refused, not stored with U+FFFD; one with U+FFFD written as such is kept', async () => {
    const encoded = await parseProfilesCsv([bytes(header, profile('AAA', latin1('Société')))]);
    expect(encoded).toEqual({ ok: false, problem: { file: null, line: 2, column: 'description', columnNumber: 8, kind: 'not_utf8', message: NOT_UTF8('"Soci\\ufffdt\\ufffd"') } });
    const written = await parseProfilesCsv([bytes(header, profile('AAA', 'Société \ufffd'))]);
    expect(written.ok && written.rows[0]!.profile.description).toBe('Société \ufffd');
  });
});
