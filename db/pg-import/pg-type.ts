/**
 * PostgreSQL column types as written in pg_dump's CREATE TABLE (pg-import.md 2.5): canonical
 * spellings such as `numeric(20,8)`, `character varying(32)`, `timestamp(3) with time zone`,
 * `double precision[]`, `public.mood`. Parsed into a base name, the type modifiers and the
 * array depth; short aliases (int8, timestamptz, varchar …) map to the canonical names so
 * hand-written DDL and schema hints work too.
 */
import { lexSql } from './sql-lexer';

export interface PgType {
  /** The text as written. */
  readonly raw: string;
  /** Canonical base name: `numeric`, `character varying`, `timestamp with time zone`, `public.mood`. */
  readonly base: string;
  /** Type modifiers: [precision, scale] for numeric, [n] for character(n). */
  readonly typmod: readonly number[];
  /** 0 for scalars; 1 for `x[]`, 2 for `x[][]`. */
  readonly arrayDims: number;
}

const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int8: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  int2: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  float8: 'double precision',
  float: 'double precision',
  float4: 'real',
  bool: 'boolean',
  varchar: 'character varying',
  char: 'character',
  bpchar: 'character',
  decimal: 'numeric',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  varbit: 'bit varying',
};

/** Parses a type as written in DDL; `pg_catalog.` prefixes are dropped. */
export function parsePgType(raw: string): PgType {
  const text = raw.trim();
  let arrayDims = 0;
  const words: string[] = [];
  const typmod: number[] = [];
  let depth = 0;
  const tokens = lexSql(text, { where: `the type ${text}` });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.value === '(') {
      depth++;
      continue;
    }
    if (t.kind === 'punct' && t.value === ')') {
      depth--;
      continue;
    }
    if (t.kind === 'punct' && t.value === '[') {
      arrayDims++;
      while (i + 1 < tokens.length && !(tokens[i + 1]!.kind === 'punct' && tokens[i + 1]!.value === ']')) i++;
      i++;
      continue;
    }
    if (depth > 0) {
      if (t.kind === 'number') typmod.push(Number(t.value));
      continue;
    }
    if (t.kind === 'punct' && t.value === '.') {
      words.push('.');
      continue;
    }
    if (t.kind === 'word' || t.kind === 'qident') {
      if (t.kind === 'word' && t.value === 'array') {
        arrayDims = Math.max(arrayDims, 1);
        continue;
      }
      words.push(t.value);
    }
  }
  let base = '';
  for (const w of words) {
    if (w === '.') base += '.';
    else if (base === '' || base.endsWith('.')) base += w;
    else base += ` ${w}`;
  }
  if (base.startsWith('pg_catalog.')) base = base.slice('pg_catalog.'.length);
  // "timestamp(3) with time zone" lexes to words timestamp, with, time, zone.
  base = ALIASES[base] ?? base;
  return { raw: text, base, typmod, arrayDims };
}
