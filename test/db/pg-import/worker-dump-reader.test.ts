/**
 * Reading in a worker thread (db/pg-import/worker-dump-reader.ts) gives the rows the reader
 * gives in the calling thread, for every committed format (custom gzip / uncompressed /
 * piped, directory, tar, plain COPY, --column-inserts, a gzip-wrapped file, LATIN1); errors
 * keep their DumpError code; a cancelled read stops; temporary files of wrapped dumps are
 * removed when the reader closes. Reference: DumpReader in this thread, which the pg-oracle
 * tests compare with PostgreSQL's own output.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DumpError } from '../../../db/pg-import/dump-error';
import { openDump } from '../../../db/pg-import/open-dump';
import { openDumpForImport, type DumpRowSource } from '../../../db/pg-import/worker-dump-reader';
import { COMMITTED } from '../../support/pg-fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'pg-worker-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function everything(r: DumpRowSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of r.tables()) {
    const rows: unknown[] = [];
    for await (const b of r.batches(t, { batchSize: 7 })) rows.push(...b.rows);
    out[`${t.schema}.${t.name}`] = rows;
  }
  return out;
}

const gz = join(tmp, 'plain.sql.gz');
writeFileSync(gz, zlib.gzipSync(readFileSync(join(COMMITTED, 'plain.sql'))));

describe('reading a dump in a worker thread', () => {
  it.each(['custom.dump', 'custom-z0.dump', 'custom-piped.dump', 'directory', 'archive.tar', 'plain.sql', 'column-inserts.sql', 'reference.dump', 'reference-inserts.sql', 'latin1.dump', gz])(
    '%s: the same tables and rows as in this thread',
    async (file) => {
      const path = file.startsWith('/') ? file : join(COMMITTED, file);
      const here = await openDump(path);
      const there = await openDumpForImport({ path, schema: 'public', tempDir: tmp, inWorker: true });
      try {
        expect(there.constructor.name).toBe('WorkerDumpReader');
        expect(there.facts).toEqual(here.facts);
        expect(there.tables()).toEqual(here.tables());
        const a = await everything(there);
        const b = await everything(here);
        expect(a).toEqual(b);
        expect(Object.values(a).reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(0);
      } finally {
        await there.close();
        await here.close();
      }
      expect(readdirSync(tmp).filter((f) => f.startsWith('batchdesk-dump-'))).toEqual([]);
    },
  );

  it('errors keep their code and message; a cancelled read stops', async () => {
    const bad = join(tmp, 'truncated.dump');
    const bytes = readFileSync(join(COMMITTED, 'custom.dump'));
    writeFileSync(bad, bytes.subarray(0, bytes.length - 2000));
    const r = await openDumpForImport({ path: bad, schema: 'public', inWorker: true });
    const e = await everything(r).catch((x: unknown) => x);
    await r.close();
    expect(e).toBeInstanceOf(DumpError);
    const here = await openDump(bad);
    const e2 = await everything(here).catch((x: unknown) => x);
    await here.close();
    expect((e as DumpError).code).toBe((e2 as DumpError).code);
    expect((e as DumpError).message).toBe((e2 as DumpError).message);

    const notDump = join(tmp, 'not-a-dump.txt');
    writeFileSync(notDump, 'hello\n');
    const refused = await openDumpForImport({ path: notDump, schema: 'public', inWorker: true }).catch((x: unknown) => x);
    expect((refused as DumpError).code).toBe('not_a_dump');

    const ac = new AbortController();
    const c = await openDumpForImport({ path: join(COMMITTED, 'custom.dump'), schema: 'public', inWorker: true });
    const t = c.tables().find((x) => x.name === 'awkward_text')!;
    let n = 0;
    const stopped = await (async () => {
      for await (const b of c.batches(t, { batchSize: 5, signal: ac.signal })) {
        n += b.rows.length;
        ac.abort();
      }
    })().catch((x: unknown) => x);
    await c.close();
    expect((stopped as DumpError).code).toBe('cancelled');
    expect(n).toBeGreaterThan(0);
  });
});
