/**
 * `backup list`'s size of an incomplete backup is the partial copy's (the copy and its journal),
 * not the writer record beside it, which says who wrote the copy and is no part of it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTIAL_WRITER_SCHEMA } from '../../db/maintenance/backup-manifest';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';
import { ENV } from '../support/safeguards';

describe('backup list: an incomplete backup\'s bytes', () => {
  it('count the copy and its journal, not the writer record', async () => {
    const dir = tempDir('batchdesk-incomplete-bytes-');
    const db = join(dir, 'portfolios.sqlite');
    openStore(db).close();
    mkdirSync(join(dir, 'backups'));
    const partial = join(dir, 'backups', 'portfolios.sqlite.20250701T000000Z.manual.sqlite.partial');
    writeFileSync(partial, Buffer.alloc(1000, 1));
    writeFileSync(`${partial}-journal`, Buffer.alloc(500, 1));
    writeFileSync(`${partial}.writer.json`, JSON.stringify({ schema: PARTIAL_WRITER_SCHEMA, source: 'portfolios.sqlite', host: hostname(), pid: process.pid }));

    const json = await runCli(['backup', 'list', '--db', db, '--json'], ENV);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).incomplete).toMatchObject([{ file: partial, files: [partial, `${partial}-journal`, `${partial}.writer.json`], bytes: 1500 }]);
    const text = await runCli(['backup', 'list', '--db', db], ENV);
    expect(text.stdout).toContain('\n1 incomplete backup(s), 1500 bytes. ');
  });
});
