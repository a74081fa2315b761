/**
 * A dump that has batchdesk's tables but no rows in any of them is refused as one with none
 * of batchdesk's tables is (SPEC.md m.15 `--allow-empty`, k.3): exit code 5, the words name
 * the dump and `--allow-empty`, nothing was changed. Found by a CLI tester: `import
 * r_empty.dump --db LIVE --replace` exited 0 and replaced a backfilled database with an empty
 * one. Both refusals come before the lock of a live file is taken, so --replace and --merge
 * leave it as it was, byte for byte, with no backup; a new file is not written; --dry-run
 * refuses too; --allow-empty imports it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { COMMITTED } from '../support/pg-fixtures';
import { PLAIN_DUMP_TAIL } from '../support/plain-dump';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };
const dir = tempDir('import-empty-dump-');
const EMPTY = join(dir, 'empty.sql');
const NO_TABLES = join(COMMITTED, 'custom.dump');
let live: { folder: string; db: string; bytes: Buffer } | null = null;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(
    EMPTY,
    [
      '--\n-- PostgreSQL database dump\n--\n',
      "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n",
      'CREATE TABLE public.users (id uuid NOT NULL, email character varying(255), created_at timestamp with time zone NOT NULL);',
      'CREATE TABLE public.portfolios (id uuid NOT NULL, user_id uuid NOT NULL, name character varying(255) NOT NULL, equity_balance numeric(16,2), created_at timestamp with time zone NOT NULL);',
      'COPY public.users (id, email, created_at) FROM stdin;',
      '\\.',
      'COPY public.portfolios (id, user_id, name, equity_balance, created_at) FROM stdin;',
      '\\.',
      PLAIN_DUMP_TAIL,
    ].join('\n'),
  );
  const folder = join(dir, 'live');
  const db = join(folder, 'portfolios.sqlite');
  mkdirSync(folder);
  const r = await runCli(['import', join(COMMITTED, 'reference.dump'), '--db', db, '--quiet'], ENV);
  expect(r.code, r.stderr).toBe(0);
  expect(readdirSync(folder)).toEqual(['portfolios.sqlite']);
  live = { folder, db, bytes: readFileSync(db) };
}, 60_000);

const refusal = (dump: string) =>
  `error: import failed: ${dump} has batchdesk's tables in schema public but no rows in any of them; use --allow-empty to import it anyway, or --schema to pick another schema; nothing was changed`;

describe('a dump with batchdesk tables but no rows', () => {
  it.each(['--replace', '--merge'])('%s: refused with exit code 5; the live file is unchanged byte for byte and no backup is made', async (mode) => {
    const { folder, db, bytes } = live!;
    const r = await runCli(['import', EMPTY, '--db', db, mode], ENV);
    expect(r.code, r.stdout).toBe(5);
    expect(r.stderr).toBe(refusal(EMPTY));
    expect(readFileSync(db).equals(bytes)).toBe(true);
    // no -wal with changes, no backups folder
    expect(readdirSync(folder)).toEqual(['portfolios.sqlite']);
  });

  it.each(['--replace', '--merge'])('%s with a dump of none of our tables: also refused before the lock, the file unchanged byte for byte', async (mode) => {
    const { db, bytes } = live!;
    const r = await runCli(['import', NO_TABLES, '--db', db, mode], ENV);
    expect(r.code, r.stdout).toBe(5);
    expect(r.stderr).toMatch(/has none of batchdesk's tables in schema public; use --allow-empty/);
    expect(readFileSync(db).equals(bytes)).toBe(true);
  });

  it('into a new file: refused, no file is written; --dry-run refuses it too; --allow-empty imports it', async () => {
    const sub = tempDir('import-empty-new-');
    const db = join(sub, 'new.sqlite');
    const r = await runCli(['import', EMPTY, '--db', db], ENV);
    expect(r.code, r.stdout).toBe(5);
    expect(r.stderr).toBe(refusal(EMPTY));
    expect(readdirSync(sub)).toEqual([]);
    const dry = await runCli(['import', EMPTY, '--db', db, '--dry-run'], ENV);
    expect(dry.code, dry.stdout).toBe(5);
    expect(dry.stderr).toBe(refusal(EMPTY));
    const allowed = await runCli(['import', EMPTY, '--db', db, '--allow-empty'], ENV);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('  users: read 0, imported 0');
    expect(existsSync(db)).toBe(true);
    rmSync(sub, { recursive: true, force: true });
  });
});
