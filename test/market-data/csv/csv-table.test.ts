import { describe, expect, it } from 'vitest';
import { formatCsvProblem } from '../../../market-data/csv/csv-problem';
import { columnIndex, readCsv, type CsvSource, type ReadCsvOptions } from '../../../market-data/csv/csv-table';

/** Reads `source` taking every record: the verdict, and the header and the records seen. */
async function readTable(source: CsvSource, options: ReadCsvOptions = {}) {
  let header: readonly string[] = [];
  const records: (string | number)[][] = [];
  const read = await readCsv(source, options, {
    header(cells) {
      header = cells;
      return null;
    },
    record(record) {
      records.push([record.line, ...record.cells]);
      return null;
    },
  });
  return { read, header, records };
}

const lines = async (text: string) => {
  const { read, header, records } = await readTable(text);
  if (!read.ok) throw new Error(formatCsvProblem(read.problem));
  return { headerLine: read.headerLine, header, records };
};

describe('readCsv', () => {
  it('numbers records by the line they start on, across blank lines and quoted line breaks', async () => {
    // Provenance: counted by hand in the text below (line 3 blank, record 4-5 spans two lines).
    expect(await lines('a,b\n1,2\n\n3,"x\ny"\n4,5\n')).toEqual({ headerLine: 1, header: ['a', 'b'], records: [[2, '1', '2'], [4, '3', 'x\ny'], [6, '4', '5']] });
  });

  it('accepts a BOM and CRLF or CR line ends alike', async () => {
    const expected = { headerLine: 1, header: ['a', 'b'], records: [[2, '1', '2'], [3, '3', '4']] };
    expect(await lines('\ufeffa,b\r\n1,2\r\n3,4\r\n')).toEqual(expected);
    expect(await lines('a,b\r1,2\r3,4')).toEqual(expected);
  });

  it('keeps every cell as text (no auto-typing) and trims unquoted spaces only', async () => {
    expect((await lines('a , b\n 00123 , " 2 "\n')).records).toEqual([[2, '00123', ' 2 ']]);
  });

  it('keeps short and long rows for the caller to judge', async () => {
    expect((await lines('a,b,c\n1\n1,2,3,4\n')).records).toEqual([[2, '1'], [3, '1', '2', '3', '4']]);
  });

  it('counts lines right after multi-byte characters and a BOM', async () => {
    expect((await lines('\ufeffa,b\né,"x\ny"\n日本,2\n')).records).toEqual([[2, 'é', 'x\ny'], [4, '日本', '2']]);
  });

  it('blank lines before the header move it down', async () => {
    expect((await lines('\n\na,b\n1,2')).headerLine).toBe(3);
  });

  it('a syntax error is fatal, with its line', async () => {
    const { read: r } = await readTable('a,b\n1,2\n3,x"y"\n4,5\n', { file: 'f.csv' });
    expect(r).toMatchObject({ ok: false, problem: { file: 'f.csv', line: 3, kind: 'malformed_csv', column: null } });
  });

  it('or skipped and reported when asked', async () => {
    const { read: r, records } = await readTable('a,b\n1,2\n3,x"y"\n4,5\n', { skipBadRows: true });
    expect(records.map((x) => x[0])).toEqual([2, 4]);
    expect(r.ok && r.skipped.map((p) => [p.line, p.kind])).toEqual([[3, 'malformed_csv']]);
  });

  it.each([
    // The quote opens on line 3 and is closed on line 4 by a quote followed by text.
    ['text after a closing quote, the value spanning two lines', 'a,b\n1,2\n3,"x\ny"z\n4,5\n6,7\n', 3, 'bad_closing_quote'],
    ['a space and text after a closing quote, CRLF', 'a,b\r\n1,2\r\n3,"x" y\r\n4,5\r\n6,7\r\n', 3, 'bad_closing_quote'],
    ['a quote never closed, after a blank line', 'a,b\n1,2\n\n3,"x\n4,5\n6,7\n', 4, 'unclosed_quote'],
  ])('a quote problem that hides the lines after it refuses the file even with skipBadRows, read in chunks of any size (%s)', async (_label, text, line, kind) => {
    const bytes = Buffer.from(text);
    for (let size = 1; size <= bytes.length; size += 1) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const { read, records } = await readTable(chunks, { skipBadRows: true });
      expect({ read, records }, `chunks of ${size} bytes`).toEqual({ read: { ok: false, problem: expect.objectContaining({ line, kind }), skipped: [] }, records: [[2, '1', '2']] });
    }
  });

  it('an empty file has no header', async () => {
    expect((await readTable('')).read).toMatchObject({ ok: false, problem: { line: 1, kind: 'missing_header' } });
    expect((await readTable('\n\n')).read).toMatchObject({ ok: false, problem: { kind: 'missing_header' } });
  });

  it.each([
    // CRLF and multi-byte characters cut between chunks, a BOM, a blank line of spaces, a bad quote skipped.
    ['CRLF', '\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n  \r\n日本,2\r\n3,x"y"\r\n\r\n4,5\r\n', [[2, '1', 'x\r\ny'], [6, '日本', '2'], [9, '4', '5']], 7],
    // A lone CR ends the file: its meaning waits for a next byte that never comes.
    ['CR', 'a,b\r1,"x\ry"\r\r日本,2\r3,x"y"\r4,5\r', [[2, '1', 'x\ry'], [5, '日本', '2'], [7, '4', '5']], 6],
  ])('reads a stream cut into chunks of any size as the whole text (%s line ends)', async (_ends, text, records, badLine) => {
    const bytes = Buffer.from(text);
    const whole = await readTable(text, { skipBadRows: true });
    expect(whole.records).toEqual(records);
    expect(whole.read).toMatchObject({ ok: true, headerLine: 1, skipped: [{ line: badLine, kind: 'malformed_csv' }] });
    for (let size = 1; size <= bytes.length; size += 1) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await readTable(chunks, { skipBadRows: true }), `chunks of ${size} bytes`).toEqual(whole);
    }
  });

  it('reads each line with its own ending: a CRLF header over LF rows, a lone CR among LFs', async () => {
    expect((await lines('a,b\r\n1,2\n3,4\n')).records).toEqual([[2, '1', '2'], [3, '3', '4']]);
    expect((await lines('a,b\n1,2\r3,4\r\n5,6\n')).records).toEqual([[2, '1', '2'], [3, '3', '4'], [4, '5', '6']]);
  });

  it("words csv-parse's message without its own line count and with a 1-based column", async () => {
    const { read } = await readTable('a,b\r\n1,"x\r\ny"\r\n3,x"y"\r\n', { file: 'f.csv' });
    expect(read.ok ? null : read.problem).toMatchObject({ line: 4, message: expect.stringMatching(/^not valid CSV: Invalid Opening Quote: a quote is found in column 2, /) });
  });

  it('stops reading the source at the first bad row (nothing after it is read)', async () => {
    let pulled = 0;
    async function* source() {
      for (const part of ['a,b\n1,2\n', 'bad,row\n', '3,4\n', '5,6\n', '7,8\n', '9,10\n']) {
        pulled += 1;
        yield Buffer.from(part);
      }
    }
    const read = await readCsv(source(), {}, { header: () => null, record: (r) => (r.cells[0] === 'bad' ? { file: null, line: r.line, column: null, columnNumber: null, kind: 'bad_number', message: 'bad' } : null) });
    expect(read).toMatchObject({ ok: false, problem: { line: 3, kind: 'bad_number' } });
    // csv-parse holds a chunk's last bytes back until the next chunk comes, so the bad row is judged one chunk late.
    expect(pulled).toBe(3);
  });

  it('rejects with the source\'s own error (an unreadable or stopped stream)', async () => {
    async function* failing() {
      yield Buffer.from('a,b\n');
      throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    }
    await expect(readTable(failing())).rejects.toThrow('The operation was aborted');
  });

  it('finds columns by trimmed, case-insensitive name', async () => {
    expect(columnIndex(['Date', ' Close ', 'Adj Close'], 'close')).toBe(1);
    expect(columnIndex(['Date'], 'close')).toBe(-1);
  });

  it('formats a problem with file, line and column', async () => {
    expect(formatCsvProblem({ file: 'p.csv', line: 7, column: 'close', columnNumber: 3, kind: 'bad_number', message: 'expected a number, got "abc"' })).toBe(
      'p.csv line 7, column 3 (close): expected a number, got "abc"',
    );
    expect(formatCsvProblem({ file: null, line: 2, column: null, columnNumber: null, kind: 'malformed_csv', message: 'x' })).toBe('line 2: x');
  });
});
