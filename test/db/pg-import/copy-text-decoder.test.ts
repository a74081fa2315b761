/**
 * COPY text decoding (pg-import.md section 6). Expected rows are written by hand from the
 * COPY text format rules (PostgreSQL documentation, "COPY … File Formats, Text Format"); the
 * split tests compare the decoder against itself fed whole; the random-lines test compares it
 * with a byte-by-byte reading of the same rules written here.
 */
import { describe, expect, it } from 'vitest';
import { CopyTextDecoder, type TextRow } from '../../../db/pg-import/copy-text-decoder';
import { DumpError } from '../../../db/pg-import/dump-error';
import { textCodec, type DumpEncoding } from '../../../db/pg-import/text-encoding';

function decode(input: Buffer | string, pieceSize = Infinity, columns: string[] | null = null, encoding: DumpEncoding = 'UTF8'): TextRow[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const dec = new CopyTextDecoder({ codec: textCodec(encoding), table: 'public.t', columns });
  const out: TextRow[] = [];
  const step = Number.isFinite(pieceSize) ? pieceSize : bytes.length || 1;
  for (let i = 0; i < bytes.length; i += step) dec.push(bytes.subarray(i, i + step), out);
  dec.end();
  return out;
}

function errorOf(fn: () => unknown): DumpError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DumpError) return e;
    throw e;
  }
  throw new Error('expected a DumpError');
}

/** The text format read byte by byte (escapes of the generator below only): the reference. */
function referenceLine(raw: Buffer): TextRow {
  const out: TextRow = [];
  let cur: number[] = [];
  let fieldStart = 0;
  const finish = (end: number) => {
    out.push(end - fieldStart === 2 && raw[fieldStart] === 0x5c && raw[fieldStart + 1] === 0x4e ? null : Buffer.from(cur).toString('utf8'));
    cur = [];
  };
  const simple: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
  let i = 0;
  while (i < raw.length) {
    const b = raw[i]!;
    if (b === 9) {
      finish(i);
      fieldStart = ++i;
    } else if (b !== 0x5c) {
      cur.push(b);
      i++;
    } else {
      const c = String.fromCharCode(raw[i + 1]!);
      if (/[0-7]/.test(c)) {
        cur.push(parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8) & 0xff); // the generator writes 3 digits
        i += 4;
      } else {
        cur.push(simple[c] ?? raw[i + 1]!);
        i += 2;
      }
    }
  }
  finish(raw.length);
  return out;
}

describe('COPY text decoder', () => {
  it('random lines of plain text, whole and partial \\N, escapes and multi-byte characters read as the reference reads them', () => {
    let seed = 20261129;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const tokens = ['abc', 'N', '7', 'é', '€', '𝄞', ' ', '\\N', '\\\\', '\\t', '\\n', '\\\t', '\\101', '\\303\\251', 'x\\N'];
    const lines: string[] = [];
    for (let l = 0; l < 3000; l++) {
      const fields: string[] = [];
      const width = 1 + rand(6);
      for (let f = 0; f < width; f++) {
        if (rand(3) === 0) fields.push(rand(2) ? '\\N' : '');
        else fields.push(Array.from({ length: 1 + rand(4) }, () => tokens[rand(tokens.length)]).join(''));
      }
      lines.push(fields.join('\t') + (rand(10) === 0 ? '\r' : ''));
    }
    const expected = lines.map((line) => referenceLine(Buffer.from(line.replace(/\r$/, ''), 'utf8')));
    expect(expected.some((r) => r.includes(null))).toBe(true);
    for (const piece of [Infinity, 4096, 7]) expect(decode(`${lines.join('\n')}\n\\.\n`, piece)).toEqual(expected);
  });

  it('splits rows at LF and fields at TAB, and stops at the \\. line', () => {
    expect(decode('1\ta\n2\tb\n\\.\n\n\n')).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });

  it('reads \\N as NULL only when it is the whole field', () => {
    expect(decode('\\N\t\\\\N literal\tx\\N\t\n\\.\n')).toEqual([[null, '\\N literal', 'xN', '']]);
  });

  it('resolves every escape of the format', () => {
    // \b \f \n \r \t \v \\ ; octal 1-3 digits; \x with 1-2 hex digits; other characters stand for themselves
    const rows = decode('\\b\\f\\n\\r\\t\\v\\\\\t\\101\\60\\0010\t\\x41\\x4g\\xZ\t\\q\\;\\.\n\\.\n');
    expect(rows).toEqual([['\b\f\n\r\t\v\\', 'A0\u00010', 'A\u0004gxZ', 'q;.']]);
  });

  it('treats a backslash before a TAB as a TAB inside the value', () => {
    expect(decode('a\\\tb\tc\n\\.\n')).toEqual([['a\tb', 'c']]);
  });

  it('unescapes octal and hex at the byte level before decoding UTF-8', () => {
    // é is C3 A9 in UTF-8: written as two octal escapes, one hex escape and one raw byte.
    expect(decode('\\303\\251\t\\xc3\\xa9\n\\.\n')).toEqual([['é', 'é']]);
    const mixed = Buffer.concat([Buffer.from('\\303'), Buffer.from([0xa9]), Buffer.from('\n\\.\n')]);
    expect(decode(mixed)).toEqual([['é']]);
  });

  it('drops a CR right before the LF (files that passed through Windows tools)', () => {
    expect(decode('1\ta\r\n2\tb\\r\r\n\\.\r\n')).toEqual([
      ['1', 'a'],
      ['2', 'b\r'],
    ]);
  });

  it('gives identical rows whatever the piece size (1, 7, 4096): rows and characters cut anywhere', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push([String(i), `Zürich 🚀 ${'漢字'.repeat(i % 5)}`, i % 7 === 0 ? '\\N' : `tab\\there\\\\${i}`, 'x'.repeat(i % 50)].join('\t'));
    }
    const text = `${lines.join('\n')}\n\\.\n`;
    const whole = decode(text, Infinity, ['a', 'b', 'c', 'd']);
    expect(whole).toHaveLength(300);
    expect(whole[7]![2]).toBeNull();
    expect(whole[8]![2]).toBe('tab\there\\8');
    for (const size of [1, 7, 4096]) expect(decode(text, size, ['a', 'b', 'c', 'd'])).toEqual(whole);
  });

  it('handles single-column tables and empty tables', () => {
    expect(decode('a\nb\n\\.\n', 1)).toEqual([['a'], ['b']]);
    expect(decode('\\.\n')).toEqual([]);
    expect(decode('\n\\.\n')).toEqual([['']]);
  });

  it('accepts the end marker without a final LF', () => {
    expect(decode('1\n\\.')).toEqual([['1']]);
  });

  it('fails when the \\. end marker is missing', () => {
    const e = errorOf(() => decode('1\ta\n2\tb\n'));
    expect(e.code).toBe('missing_copy_end');
    expect(e.message).toContain('public.t');
    expect(errorOf(() => decode('1\ta\n2\tb')).code).toBe('missing_copy_end');
    expect(errorOf(() => decode('')).code).toBe('missing_copy_end');
  });

  it('fails on invalid UTF-8 naming the table, row and column', () => {
    const bad = Buffer.concat([Buffer.from('1\tok\n2\tok\tbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\n\\.\n')]);
    const e = errorOf(() => decode(bad, Infinity, null));
    expect(e.code).toBe('invalid_text');
    expect(e.context).toMatchObject({ table: 'public.t', row: 2, column: '#3' });
    // an escape that produces an invalid byte is caught after unescaping
    const e2 = errorOf(() => decode('x\t\\377\n\\.\n', Infinity, ['a', 'b']));
    expect(e2.context).toMatchObject({ row: 1, column: 'b' });
  });

  it('checks the field count against the column list', () => {
    const e = errorOf(() => decode('1\t2\t3\n\\.\n', Infinity, ['a', 'b']));
    expect(e.code).toBe('bad_copy_row');
    expect(e.message).toContain('3 fields, expected 2');
  });

  it('decodes LATIN1 and WIN1252 bytes, and SQL_ASCII with replacement characters', () => {
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x09, 0x80, 0x0a, 0x5c, 0x2e, 0x0a]);
    expect(decode(bytes, Infinity, null, 'LATIN1')).toEqual([['café', '\u0080']]);
    expect(decode(bytes, Infinity, null, 'WIN1252')).toEqual([['café', '€']]);
    expect(decode(bytes, Infinity, null, 'SQL_ASCII')).toEqual([['caf\ufffd', '\ufffd']]);
  });

  it('ignores what follows the end marker', () => {
    expect(decode('1\n\\.\ngarbage\tmore\n')).toEqual([['1']]);
  });
});
