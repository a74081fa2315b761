/**
 * The host's import procedure (host/maintenance/dump-import.ts) beyond the CLI tests:
 * - cancellation (a signal fired at the first progress event) ends in BatchdeskError
 *   `cancelled` (exit code 130) and leaves nothing, in a new file, --replace and --merge,
 *   with the dump read in this thread and in the reader thread;
 * - --schema picks the dump schema whose tables map to ours; --strict fails on the first
 *   value that cannot be converted (exit code 5 naming table, row and column);
 * - with PostgreSQL installed, a pg_dumpall cluster dump needs --database.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import type { TelemetrySink } from '../../../core/telemetry/record-metric';
import { importDumpFile, type DumpImportMode } from '../../../host/maintenance/dump-import';
import { systemClock } from '../../../host/system-ports';
import { runCli, tempDir } from '../../support/cli';
import { COMMITTED, fullFixtures, HAS_POSTGRES } from '../../support/pg-fixtures';
import { checksumsOf, rowCountsOf } from '../../support/safeguards';
import { PLAIN_DUMP_TAIL } from '../../support/plain-dump';

const clock = systemClock({ BATCHDESK_NOW: '2025-07-03T23:00:00Z' });
const REF = join(COMMITTED, 'reference.dump');

function abortOnFirstProgress(ac: AbortController): TelemetrySink {
  return { name: 'abort', handle: (e) => (e.event === 'metric' && e.payload.name === 'import_progress' ? ac.abort() : undefined) };
}

async function live(): Promise<{ dir: string; db: string }> {
  const dir = tempDir('dump-import-');
  const db = join(dir, 'live.sqlite');
  await importDumpFile({ dumpPath: REF, dbPath: db, mode: 'new', holder: 'cli' }, clock);
  return { dir, db };
}

describe('cancelling an import', () => {
  it.each([
    ['new', false],
    ['replace', false],
    ['merge', false],
    ['new', true],
    ['replace', true],
  ] as [DumpImportMode, boolean][])('%s (reader thread: %s): cancelled, nothing left or changed', async (mode, inWorker) => {
    const { dir, db } = mode === 'new' ? { dir: tempDir('dump-import-'), db: '' } : await live();
    const target = mode === 'new' ? join(dir, 'new.sqlite') : db;
    const before = mode === 'new' ? null : { sums: checksumsOf(db), counts: rowCountsOf(db), files: readdirSync(dir).sort() };
    const ac = new AbortController();
    const e = await importDumpFile(
      { dumpPath: REF, dbPath: target, mode, holder: 'cli', signal: ac.signal, sinks: [abortOnFirstProgress(ac)], ...(inWorker ? { readInWorker: true } : {}) },
      clock,
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BatchdeskError);
    expect((e as BatchdeskError).code).toBe('cancelled');
    expect((e as BatchdeskError).exitCode).toBe(130);
    if (before) {
      expect({ sums: checksumsOf(db), counts: rowCountsOf(db), files: readdirSync(dir).sort() }).toEqual(before);
    } else {
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});

describe('--schema, --strict and cluster dumps', () => {
  it('--schema picks the dump schema; --strict fails naming table, row and column', async () => {
    const dir = tempDir('dump-import-');
    const dump = join(dir, 'legacy.sql');
    writeFileSync(
      dump,
      [
        '--\n-- PostgreSQL database dump\n--',
        "SET client_encoding = 'UTF8';",
        'CREATE TABLE legacy.market_data_cache (id uuid NOT NULL, symbol text NOT NULL, date date NOT NULL, close numeric(12,4) NOT NULL, volume bigint, data_source text NOT NULL);',
        'COPY legacy.market_data_cache (id, symbol, date, close, volume, data_source) FROM stdin;',
        'e5000000-0000-4000-8000-000000000001\tAAPL\t2025-06-30\t190.2500\t100\tyahoo',
        'e5000000-0000-4000-8000-000000000002\tMSFT\t2025-06-30\t420.0000\t9223372036854775807\tyahoo',
        '\\.',
        PLAIN_DUMP_TAIL,
      ].join('\n'),
    );
    const refused = await runCli(['import', dump, '--db', join(dir, 'a.sqlite')], {});
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/none of batchdesk's tables in schema public; use --allow-empty .* or --schema/);
    const ok = await runCli(['import', dump, '--db', join(dir, 'b.sqlite'), '--schema', 'legacy', '--json'], {});
    expect(ok.code, ok.stderr).toBe(0);
    const t = JSON.parse(ok.stdout).report.tables.find((x: { table: string }) => x.table === 'market_data_cache');
    expect(t).toMatchObject({ sources: ['legacy.market_data_cache'], rowsRead: 2, imported: 1, skipped: { unconvertible_value: 1 } });
    const strict = await runCli(['import', dump, '--db', join(dir, 'c.sqlite'), '--schema', 'legacy', '--strict'], {});
    expect(strict.code).toBe(5);
    expect(strict.stderr).toMatch(/--strict: legacy\.market_data_cache row 2, column volume: /);
    expect(readdirSync(dir).sort()).toEqual(['b.sqlite', 'legacy.sql']);
  });

  it.skipIf(!HAS_POSTGRES)('a pg_dumpall cluster dump is refused with its databases, and imports with --database', async () => {
    const dir = tempDir('dump-import-');
    const cluster = join(fullFixtures(), 'cluster.sql');
    const refused = await runCli(['import', cluster, '--db', join(dir, 'a.sqlite')], {});
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/fixture/);
    expect(refused.stderr).toMatch(/--database|database/);
    const ok = await runCli(['import', cluster, '--db', join(dir, 'b.sqlite'), '--database', 'fixture', '--json'], {});
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).report.tables.find((x: { table: string }) => x.table === 'positions')).toMatchObject({ imported: 7 });
    expect(readdirSync(dir)).toEqual(['b.sqlite']);
  }, 180_000);
});
