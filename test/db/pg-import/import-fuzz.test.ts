/**
 * Damaged archives through the whole import (issue 6 "Fuzzing"): the committed reference
 * archive and its plain COPY dump, mutated at random (seeded, so a failure reproduces: byte
 * flips, truncations, inserted bytes), imported into a new file and merged into an existing
 * database. Every case either imports (integrity_check ok) or fails with a DumpError; a
 * failure leaves no file in the target folder, and a failed merge leaves the database's
 * content checksums and row counts unchanged. Nothing hangs (each case has a time limit).
 * A few hundred cases run in the suite; set PG_IMPORT_FUZZ_IMPORT_CASES for more.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileContentChecksums } from '../../../db/canonical';
import { DumpError } from '../../../db/pg-import/dump-error';
import { importIntoNewFile, mergeIntoDatabase } from '../../../db/pg-import/import-dump';
import { openDatabase } from '../../../db/open-database';
import { COMMITTED } from '../../support/pg-fixtures';
import { seededRng } from '../../support/calc-random';

const CASES = Number(process.env.PG_IMPORT_FUZZ_IMPORT_CASES ?? 300);
const tmp = mkdtempSync(join(tmpdir(), 'pg-import-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const now = () => '2025-07-03T12:00:00.000000Z';

function mutate(src: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(src);
  const kind = rnd();
  if (kind < 0.5) {
    const flips = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    return b;
  }
  if (kind < 0.8) return b.subarray(0, Math.floor(rnd() * b.length));
  const at = Math.floor(rnd() * b.length);
  return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256))), b.subarray(at)]);
}

async function withinLimit<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} hung`)), 10_000)))]);
  } finally {
    clearTimeout(timer);
  }
}

const sources: [string, Buffer][] = [];
let live = '';
let liveSums: ReturnType<typeof fileContentChecksums>;

beforeAll(async () => {
  sources.push(['reference.dump', readFileSync(join(COMMITTED, 'reference.dump'))], ['reference-plain.sql', readFileSync(join(COMMITTED, 'reference-plain.sql'))]);
  live = join(tmp, 'live.sqlite');
  await importIntoNewFile({ dumpPath: join(COMMITTED, 'reference.dump'), targetPath: live, now });
  liveSums = fileContentChecksums(live);
});

function counts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
    return out;
  } finally {
    db.close();
  }
}

describe('mutated dumps through the import', () => {
  it(`${CASES} cases into new files: imported whole, or a DumpError and no file`, async () => {
    const rnd = seededRng(20250703).next;
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < CASES; i++) {
      const [name, src] = sources[i % sources.length]!;
      const dir = mkdtempSync(join(tmp, 'case-'));
      const dump = join(tmp, `case-${i}-${name}`);
      writeFileSync(dump, mutate(src, rnd));
      const target = join(dir, 'out.sqlite');
      try {
        const { report } = await withinLimit(importIntoNewFile({ dumpPath: dump, targetPath: target, now, tempDir: dir }), `case ${i}`);
        expect(report.postSteps.integrityCheck, `case ${i}`).toBe('ok');
        expect(readdirSync(dir), `case ${i}`).toEqual(['out.sqlite']);
        outcomes['imported'] = (outcomes['imported'] ?? 0) + 1;
      } catch (e) {
        if (!(e instanceof DumpError)) throw new Error(`case ${i} (${name}): ${(e as Error).stack}`);
        expect(readdirSync(dir), `case ${i}: ${e.message}`).toEqual([]);
        outcomes[e.code] = (outcomes[e.code] ?? 0) + 1;
      }
      rmSync(dump);
      rmSync(dir, { recursive: true, force: true });
    }
    // Both outcomes occur: the mutations reach the data, not only the headers.
    expect(Object.keys(outcomes).length).toBeGreaterThan(2);
  }, 300_000);

  it(`${Math.ceil(CASES / 3)} cases merged into a database: merged whole, or nothing changed`, async () => {
    const rnd = seededRng(7).next;
    const target = join(tmp, 'merge.sqlite');
    for (let i = 0; i < Math.ceil(CASES / 3); i++) {
      copyFileSync(live, target);
      const before = counts(target);
      const [name, src] = sources[i % sources.length]!;
      const dump = join(tmp, `merge-${i}-${name}`);
      writeFileSync(dump, mutate(src, rnd));
      const db = openDatabase(target, { mustExist: true });
      let failed: DumpError | null = null;
      try {
        await withinLimit(mergeIntoDatabase(db, { dumpPath: dump, databasePath: target, now, onConflict: 'replace' }), `merge case ${i}`);
      } catch (e) {
        if (!(e instanceof DumpError)) throw new Error(`merge case ${i} (${name}): ${(e as Error).stack}`);
        failed = e;
      } finally {
        db.close();
      }
      if (failed) {
        expect(fileContentChecksums(target), `merge case ${i}: ${failed.message}`).toEqual(liveSums);
        expect(counts(target)).toEqual(before);
      }
      rmSync(dump);
    }
  }, 300_000);
});
