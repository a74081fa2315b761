/**
 * A seeded reference-schema database as a PostgreSQL dump, for the import acceptance tests
 * (issue 6: "a dump of a seeded reference-schema database imports, and a backfill then runs
 * on the result").
 *
 * The seed is batchdesk's own demo (seed-demo with synthetic prices, backfilled over a short
 * range), written back into the reference system's tables: the CREATE TABLE statements of
 * test/fixtures/pg/seed.sql part 2 (the reference column names and types of SPEC.md b), one
 * COPY block per table in foreign-key order, values in PostgreSQL's text forms (booleans t/f,
 * timestamps `YYYY-MM-DD HH:MM:SS.ffffff+00`, numerics at their column's scale). Reference
 * columns batchdesk does not have are null, or a plain filler where the reference requires a
 * value (a password hash, for example). The result is a plain dump as pg_dump writes one;
 * with PostgreSQL installed the tests also load it into a private cluster and take a real
 * `pg_dump -Fc` of it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FIXTURE_DIR } from './pg-fixtures';

export interface ReferenceColumn {
  readonly name: string;
  /** The type as written in seed.sql, for example `numeric(16,2)`. */
  readonly type: string;
  readonly notNull: boolean;
}

export interface ReferenceTable {
  readonly name: string;
  readonly columns: readonly ReferenceColumn[];
  /** The CREATE TABLE statement as seed.sql writes it. */
  readonly ddl: string;
}

/** Tables of seed.sql part 2 that batchdesk imports, in the order foreign keys allow. */
export function referenceSchema(): { enumDdl: string; tables: ReferenceTable[] } {
  const seed = readFileSync(join(FIXTURE_DIR, 'seed.sql'), 'utf8');
  const part = seed.slice(seed.indexOf('-- Part 2'), seed.indexOf('-- Reference tables batchdesk does not keep'));
  const enumDdl = /CREATE TYPE public\.positiontype[^;]*;/.exec(part)![0];
  const tables: ReferenceTable[] = [];
  for (const m of part.matchAll(/CREATE TABLE public\.(\w+) \(\n([\s\S]*?)\n\);/g)) {
    const columns: ReferenceColumn[] = [];
    for (const raw of m[2]!.split('\n')) {
      const line = raw.trim().replace(/,$/, '');
      if (/^(UNIQUE|PRIMARY|CONSTRAINT|CHECK)\b/.test(line)) continue;
      const [, name, rest] = /^(\w+)\s+(.*)$/.exec(line)!;
      const type = rest!.split(/\s+(?:NOT NULL|DEFAULT|REFERENCES|PRIMARY KEY|UNIQUE)\b/)[0]!;
      columns.push({ name: name!, type, notNull: /\bNOT NULL\b|\bPRIMARY KEY\b/.test(rest!) && !/\bDEFAULT\b/.test(rest!) });
    }
    tables.push({ name: m[1]!, columns, ddl: m[0] });
  }
  return { enumDdl, tables };
}

function copyEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function scaleOf(type: string): number | null {
  const m = /^numeric\(\d+,(\d+)\)$/.exec(type);
  return m ? Number(m[1]) : null;
}

/**
 * A plain filler for a reference column that must not be null but batchdesk has no value
 * for; text fillers are unique per row (users.email is UNIQUE in the reference).
 */
function filler(c: ReferenceColumn, rowKey: string): string {
  if (c.name === 'email') return `${rowKey}@example.com`;
  if (c.type === 'boolean') return 'f';
  if (c.type.startsWith('timestamp')) return '2025-01-01 00:00:00+00';
  if (c.type === 'date') return '2025-01-01';
  if (c.type.startsWith('numeric') || c.type === 'integer' || c.type === 'bigint') return '0';
  if (c.type === 'jsonb') return '{}';
  return `${c.name}-${rowKey}`;
}

/** A SQLite value in PostgreSQL's text form for the reference column's type; null for NULL. */
function pgText(v: unknown, c: ReferenceColumn, rowKey: string): string | null {
  if (v === null || v === undefined) return c.notNull ? filler(c, rowKey) : null;
  if (c.type === 'boolean') return v === 1 || v === '1' || v === 't' ? 't' : 'f';
  if (c.type.startsWith('timestamp')) {
    const s = String(v);
    const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z?)?$/.exec(s);
    if (!m) throw new Error(`${c.name}: not a batchdesk timestamp: ${s}`);
    return `${m[1]} ${m[2] ?? '00:00:00'}+00`;
  }
  if (c.type.startsWith('numeric')) {
    const x = Number(v);
    const scale = scaleOf(c.type);
    return scale === null ? String(x) : x.toFixed(scale);
  }
  if (c.type === 'integer' || c.type === 'bigint') return String(Math.round(Number(v)));
  return String(v);
}

export interface ReferenceDumpOptions {
  /** Leave the price cache (and company profiles) out: a dump that carries no prices. */
  readonly withoutPrices?: boolean;
}

/** Writes a plain reference-schema dump of a batchdesk database to `out`; returns rows per table. */
export function writeReferenceDump(sqlitePath: string, out: string, options: ReferenceDumpOptions = {}): Record<string, number> {
  const { enumDdl, tables } = referenceSchema();
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  const counts: Record<string, number> = {};
  const parts: string[] = [
    '--\n-- PostgreSQL database dump\n--\n',
    '-- Dumped from database version 15.18\n-- Dumped by pg_dump version 15.18\n',
    "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n",
    `${enumDdl}\n`,
  ];
  try {
    for (const t of tables) parts.push(`${t.ddl}\n`);
    for (const t of tables) {
      if (options.withoutPrices && (t.name === 'market_data_cache' || t.name === 'company_profiles')) continue;
      const ours = new Set((db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => c.name));
      const rows = db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all() as Record<string, unknown>[];
      counts[t.name] = rows.length;
      parts.push(`COPY public.${t.name} (${t.columns.map((c) => c.name).join(', ')}) FROM stdin;\n`);
      for (const r of rows) {
        parts.push(
          `${t.columns
            .map((c) => {
              const v = pgText(ours.has(c.name) ? r[c.name] : null, c, String(r['user_key'] ?? r['id'] ?? r['symbol'] ?? ''));
              return v === null ? '\\N' : copyEscape(v);
            })
            .join('\t')}\n`,
        );
      }
      parts.push('\\.\n\n');
    }
  } finally {
    db.close();
  }
  parts.push('--\n-- PostgreSQL database dump complete\n--\n');
  writeFileSync(out, parts.join(''));
  return counts;
}
