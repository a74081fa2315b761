/**
 * The byte-level statement splitter (pg-import.md 5.2). Expected splits are hand-written from
 * PostgreSQL's lexical rules; every input is also fed in pieces of 1, 7 and 4,096 bytes,
 * which must give the same result as feeding it whole.
 */
import { describe, expect, it } from 'vitest';
import { DumpError } from '../../../db/pg-import/dump-error';
import { SqlStreamScanner } from '../../../db/pg-import/sql-stream-scanner';

interface Event {
  kind: 'stmt' | 'meta' | 'copy' | 'copyEnd';
  text: string;
}

function scan(input: string, piece = Infinity, standardStrings = true): Event[] {
  const events: Event[] = [];
  let copy = '';
  const s: SqlStreamScanner = new SqlStreamScanner(
    {
      statement(bytes) {
        const text = bytes.toString('utf8').replace(/^(\s|--[^\n]*\n)+/, '');
        events.push({ kind: 'stmt', text });
        if (/^SET standard_conforming_strings = off/.test(text)) s.setStandardStrings(false);
        return /^COPY .* FROM stdin;$/s.test(text);
      },
      meta(line) {
        events.push({ kind: 'meta', text: line.toString('utf8') });
      },
      copyData(piece) {
        copy += piece.toString('utf8');
      },
      copyEnd() {
        events.push({ kind: 'copy', text: copy });
        events.push({ kind: 'copyEnd', text: '' });
        copy = '';
      },
    },
    { standardStrings },
  );
  const b = Buffer.from(input, 'utf8');
  const step = Number.isFinite(piece) ? piece : Math.max(1, b.length);
  for (let i = 0; i < b.length; i += step) s.push(b.subarray(i, i + step));
  s.end();
  return events;
}

function scanAllWays(input: string, standardStrings = true): Event[] {
  const whole = scan(input, Infinity, standardStrings);
  for (const p of [1, 7, 4096]) expect(scan(input, p, standardStrings)).toEqual(whole);
  return whole;
}

const stmts = (ev: Event[]) => ev.filter((e) => e.kind === 'stmt').map((e) => e.text);

describe('SQL stream scanner', () => {
  it('splits at top-level semicolons only', () => {
    const sql = `SELECT 'a;b', "c;""d", E'e\\';f', $$g;h$$, $tag$i;$$;j$tag$;\nSELECT 1 -- k;\n; /* l; /* m; */ n; */ SELECT 2;\n`;
    expect(stmts(scanAllWays(sql))).toEqual([`SELECT 'a;b', "c;""d", E'e\\';f', $$g;h$$, $tag$i;$$;j$tag$;`, 'SELECT 1 -- k;\n;', '/* l; /* m; */ n; */ SELECT 2;']);
  });

  it("'' doubling, E'' escapes and positional $1 parameters", () => {
    expect(stmts(scanAllWays(`SELECT 'it''s', E'\\\\', 'x'; SELECT $1; SELECT a$b$c;`))).toEqual([
      `SELECT 'it''s', E'\\\\', 'x';`,
      'SELECT $1;',
      'SELECT a$b$c;',
    ]);
  });

  it('with standard_conforming_strings off, backslashes escape in plain strings', () => {
    const sql = `SET standard_conforming_strings = off;\nINSERT INTO t VALUES ('a\\';b');\nSELECT 2;`;
    expect(stmts(scanAllWays(sql))).toEqual(['SET standard_conforming_strings = off;', "INSERT INTO t VALUES ('a\\';b');", 'SELECT 2;']);
  });

  it('psql meta-commands end at the end of their line', () => {
    const ev = scanAllWays(`\\restrict abc123\nSET x = 1;\n\\connect -reuse-previous=on "dbname='a;b'"\r\nSELECT 1;\n\\unrestrict abc123\n`);
    expect(ev.map((e) => `${e.kind}:${e.text}`)).toEqual([
      'meta:\\restrict abc123',
      'stmt:SET x = 1;',
      `meta:\\connect -reuse-previous=on "dbname='a;b'"`,
      'stmt:SELECT 1;',
      'meta:\\unrestrict abc123',
    ]);
  });

  it('hands COPY data lines to the handler up to and including the \\. line', () => {
    const sql = 'COPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t\\.z\n\\.\nSELECT 1;\nCOPY public.e (a) FROM stdin;\n\\.\n';
    const ev = scanAllWays(sql);
    expect(ev.map((e) => `${e.kind}:${e.text}`)).toEqual([
      'stmt:COPY public.t (a, b) FROM stdin;',
      'copy:1\tx;y\n2\t\\.z\n\\.\n',
      'copyEnd:',
      'stmt:SELECT 1;',
      'stmt:COPY public.e (a) FROM stdin;',
      'copy:\\.\n',
      'copyEnd:',
    ]);
  });

  it('accepts CR LF around COPY data and a final statement without a semicolon', () => {
    const ev = scanAllWays('COPY t FROM stdin;\r\n1\r\n\\.\r\nSELECT 3');
    expect(ev.map((e) => e.kind)).toEqual(['stmt', 'copy', 'copyEnd', 'stmt']);
    expect(ev[3]!.text).toBe('SELECT 3');
  });

  it('fails on unterminated strings, comments, dollar quotes and COPY data', () => {
    const code = (s: string) => {
      try {
        scan(s);
      } catch (e) {
        return (e as DumpError).code;
      }
      return 'none';
    };
    expect(code("SELECT 'abc")).toBe('bad_sql');
    expect(code('SELECT "abc')).toBe('bad_sql');
    expect(code('SELECT $x$abc')).toBe('bad_sql');
    expect(code('SELECT /* abc')).toBe('bad_sql');
    expect(code('COPY t FROM stdin;\n1\n2\n')).toBe('missing_copy_end');
    expect(code('SELECT 1; -- trailing comment')).toBe('none');
  });

  it('reports absolute byte offsets of statements', () => {
    const offsets: [number, number][] = [];
    const s = new SqlStreamScanner({
      statement(_b, start, end) {
        offsets.push([start, end]);
        return false;
      },
      meta() {},
      copyData() {},
      copyEnd() {},
    });
    const text = Buffer.from('SELECT 1;\n-- x\nSELECT \'é\';');
    for (let i = 0; i < text.length; i += 3) s.push(text.subarray(i, i + 3));
    s.end();
    expect(offsets).toEqual([
      [0, 9],
      [9, text.length],
    ]);
  });
});
