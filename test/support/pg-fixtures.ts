/**
 * PostgreSQL dump fixtures for the pg-import tests (pg-import.md section 9).
 *
 * - COMMITTED: small real dumps made once by `make-fixtures.sh DIR committed`, so the reader
 *   is tested without PostgreSQL.
 * - fullFixtures(): every dump of pg-import.md 9.3 plus the 200,000-row table and oracle
 *   files, made on demand by `make-fixtures.sh DIR` with the local PostgreSQL 15. The result
 *   is cached in the OS temp directory under a hash of the seed and the script, and built
 *   under a lock so parallel test files share one build.
 *
 * Tests that need PostgreSQL skip only when /usr/lib/postgresql/15/bin is absent (CI installs it).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PG_BIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';
export const HAS_POSTGRES = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_dump'));

function hasCli(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
/** The lz4 and zstd command-line tools, for dumps compressed as PostgreSQL 16+ does. */
export const HAS_LZ4 = hasCli('lz4');
export const HAS_ZSTD = hasCli('zstd');

export const FIXTURE_DIR = resolve(import.meta.dirname, '../fixtures/pg');
export const COMMITTED = join(FIXTURE_DIR, 'committed');

function fixtureHash(): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(FIXTURE_DIR, 'seed.sql')));
  h.update(readFileSync(join(FIXTURE_DIR, 'make-fixtures.sh')));
  return h.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds (once per seed version) and returns the directory of the full fixture set. */
export function fullFixtures(): string {
  const dir = join(tmpdir(), `batchdesk-pg-fixtures-${fixtureHash()}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(done)) return dir;
      // A lock older than 3 minutes belongs to a crashed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* raced with its owner */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleep(250);
    }
  }
  try {
    if (existsSync(done)) return dir;
    const work = `${dir}.work`;
    rmSync(work, { recursive: true, force: true });
    execFileSync('bash', [join(FIXTURE_DIR, 'make-fixtures.sh'), work], { stdio: 'pipe', env: { ...process.env, PGBIN: PG_BIN } });
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    writeFileSync(done, new Date().toISOString());
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Oracle rows (PostgreSQL's own ::text of every column) of a table: one JSON array per line. */
export function readOracle(dir: string, db: string, schema: string, table: string): (string | null)[][] {
  const file = join(dir, 'oracle', db, `${schema}.${table}.jsonl`);
  const text = readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as (string | null)[]);
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);
}

/** Sorted copy of rows (multiset comparison). */
export function sortRows(rows: readonly (readonly (string | null)[])[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}
