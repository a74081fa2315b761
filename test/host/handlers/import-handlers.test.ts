/**
 * The importDump contract command through the dispatcher (the path of the app's worker and
 * `serve`): input validated by its zod schema, the report and the plan in the output,
 * progress as `import_progress` metric events (source `import`) on the host's event bus,
 * failures as { code, message } with the codes of the CLI's exit codes. A long-lived host's
 * read connection follows the replaced file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { dispatch as dispatchAny, type DispatchResult } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import { tempDir } from '../../support/cli';
import { testHostContext } from '../../support/app/host-context';
import { COMMITTED } from '../../support/pg-fixtures';

const NOW = '2025-07-03T23:00:00Z';

const dispatch = (name: 'importDump', input: unknown, ctx: HostContext) => dispatchAny(name, input, ctx) as Promise<DispatchResult<'importDump'>>;
const REF = join(COMMITTED, 'reference.dump');

describe('importDump', () => {
  it('imports into a new file, reports progress on the bus, then replaces and merges the host database', async () => {
    const db = join(tempDir('import-handler-'), 'portfolios.sqlite');
    const ctx = testHostContext(db, NOW);
    const events: TelemetryEvent[] = [];
    ctx.bus.subscribe((e) => events.push(e));

    const plan = await dispatch('importDump', { path: REF, dryRun: true }, ctx);
    expect(plan.ok && plan.output).toMatchObject({ dryRun: true, mode: 'new', database: db, report: null });
    expect(plan.ok && plan.output.text).toMatch(/public\.users -> users/);
    expect(existsSync(db)).toBe(false);

    const created = await dispatch('importDump', { path: REF }, ctx);
    if (!created.ok) throw new Error(created.error.message);
    expect(created.output).toMatchObject({ dryRun: false, mode: 'new', database: db, backupFile: null, plan: null });
    expect((created.output.report as { postSteps: { integrityCheck: string } }).postSteps.integrityCheck).toBe('ok');
    const progress = events.filter((e) => e.event === 'metric' && e.payload.name === 'import_progress');
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every((e) => e.source === 'import' && e.event === 'metric' && e.payload.unit === 'bytes')).toBe(true);
    const users = progress.filter((e) => e.event === 'metric' && e.payload.tags['table'] === 'users').at(-1)!;
    expect(users.event === 'metric' && users.payload.tags).toMatchObject({ source_table: 'public.users', rows: 2 });

    // the views' connection reads the database, then the file is replaced under it
    expect(ctx.reader!.read((d) => d.prepare(`SELECT count(*) AS n FROM users`).get())).toEqual({ n: 2 });
    const again = await dispatch('importDump', { path: REF }, ctx);
    expect(again.ok || again.error).toMatchObject({ code: 'usage', message: expect.stringMatching(/already exists/) });
    const replaced = await dispatch('importDump', { path: REF, mode: 'replace' }, ctx);
    if (!replaced.ok) throw new Error(replaced.error.message);
    expect(replaced.output.backupFile).toMatch(/\.pre-import\.sqlite$/);
    expect(ctx.reader!.read((d) => d.prepare(`SELECT count(*) AS n FROM maintenance_log WHERE operation = 'import'`).get())).toEqual({ n: 1 });

    const merged = await dispatch('importDump', { path: join(COMMITTED, 'reference-inserts.sql'), mode: 'merge', onConflict: 'skip' }, ctx);
    if (!merged.ok) throw new Error(merged.error.message);
    expect(merged.output.text).toMatch(/users: read 2, imported 0, skipped exists 2/);

    const other = join(tempDir('import-handler-'), 'other.sqlite');
    const target = await dispatch('importDump', { path: REF, target: other }, ctx);
    expect(target.ok && target.output.database).toBe(other);
    ctx.reader!.close();
  });

  it('bad input: data errors, usage errors for contradicting inputs', async () => {
    const db = join(tempDir('import-handler-'), 'portfolios.sqlite');
    const ctx = testHostContext(db, NOW, { reader: false });
    const truncated = await dispatch('importDump', { path: join(COMMITTED, 'nope.dump') }, ctx);
    expect(truncated.ok || truncated.error).toMatchObject({ code: 'data', message: expect.stringMatching(/nope\.dump does not exist/), details: { reason: 'not_found' } });
    const empty = await dispatch('importDump', { path: join(COMMITTED, 'custom.dump') }, ctx);
    expect(empty.ok || empty.error).toMatchObject({ code: 'data', details: { reason: 'no_batchdesk_tables' } });
    const conflict = await dispatch('importDump', { path: REF, onConflict: 'replace' }, ctx);
    expect(conflict.ok || conflict.error).toMatchObject({ code: 'usage', message: expect.stringMatching(/only with --merge/) });
    const merge = await dispatch('importDump', { path: REF, mode: 'merge' }, ctx);
    expect(merge.ok || merge.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/does not exist/) });
    expect(existsSync(db)).toBe(false);
  });
});
