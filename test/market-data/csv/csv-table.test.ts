import { describe, expect, it } from 'vitest';
import { formatCsvProblem } from '../../../market-data/csv/csv-problem';
import { columnIndex, readCsvTable } from '../../../market-data/csv/csv-table';

const lines = (text: string) => {
  const r = readCsvTable(text);
  if (!r.ok) throw new Error(formatCsvProblem(r.problem));
  return { headerLine: r.table.headerLine, header: r.table.header, records: r.table.records.map((x) => [x.line, ...x.cells]) };
};

describe('readCsvTable', () => {
  it('numbers records by the line they start on, across blank lines and quoted line breaks', () => {
    // Provenance: counted by hand in the text below (line 3 blank, record 4-5 spans two lines).
    expect(lines('a,b\n1,2\n\n3,"x\ny"\n4,5\n')).toEqual({ headerLine: 1, header: ['a', 'b'], records: [[2, '1', '2'], [4, '3', 'x\ny'], [6, '4', '5']] });
  });

  it('accepts a BOM and CRLF or CR line ends alike', () => {
    const expected = { headerLine: 1, header: ['a', 'b'], records: [[2, '1', '2'], [3, '3', '4']] };
    expect(lines('\ufeffa,b\r\n1,2\r\n3,4\r\n')).toEqual(expected);
    expect(lines('a,b\r1,2\r3,4')).toEqual(expected);
  });

  it('keeps every cell as text (no auto-typing) and trims unquoted spaces only', () => {
    expect(lines('a , b\n 00123 , " 2 "\n').records).toEqual([[2, '00123', ' 2 ']]);
  });

  it('keeps short and long rows for the caller to judge', () => {
    expect(lines('a,b,c\n1\n1,2,3,4\n').records).toEqual([[2, '1'], [3, '1', '2', '3', '4']]);
  });

  it('counts lines right after multi-byte characters and a BOM', () => {
    expect(lines('\ufeffa,b\né,"x\ny"\n日本,2\n').records).toEqual([[2, 'é', 'x\ny'], [4, '日本', '2']]);
  });

  it('blank lines before the header move it down', () => {
    expect(lines('\n\na,b\n1,2').headerLine).toBe(3);
  });

  it('a syntax error is fatal, with its line', () => {
    const r = readCsvTable('a,b\n1,2\n3,x"y"\n4,5\n', { file: 'f.csv' });
    expect(r).toMatchObject({ ok: false, problem: { file: 'f.csv', line: 3, kind: 'malformed_csv', column: null } });
  });

  it('or skipped and reported when asked', () => {
    const r = readCsvTable('a,b\n1,2\n3,x"y"\n4,5\n', { skipMalformed: true });
    expect(r.ok && r.table.records.map((x) => x.line)).toEqual([2, 4]);
    expect(r.ok && r.skipped.map((p) => [p.line, p.kind])).toEqual([[3, 'malformed_csv']]);
  });

  it('an empty file has no header', () => {
    expect(readCsvTable('')).toMatchObject({ ok: false, problem: { line: 1, kind: 'missing_header' } });
    expect(readCsvTable('\n\n')).toMatchObject({ ok: false, problem: { kind: 'missing_header' } });
  });

  it('finds columns by trimmed, case-insensitive name', () => {
    expect(columnIndex(['Date', ' Close ', 'Adj Close'], 'close')).toBe(1);
    expect(columnIndex(['Date'], 'close')).toBe(-1);
  });

  it('formats a problem with file, line and column', () => {
    expect(formatCsvProblem({ file: 'p.csv', line: 7, column: 'close', columnNumber: 3, kind: 'bad_number', message: 'expected a number, got "abc"' })).toBe(
      'p.csv line 7, column 3 (close): expected a number, got "abc"',
    );
    expect(formatCsvProblem({ file: null, line: 2, column: null, columnNumber: null, kind: 'malformed_csv', message: 'x' })).toBe('line 2: x');
  });
});
