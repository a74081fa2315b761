/**
 * `batchdesk serve` through the CLI entry (in process): the first stdout line is the URL with
 * the token in the fragment, the API answers with the token, Ctrl-C stops it cleanly (exit 0);
 * a missing database is exit 5, a bad or busy port exit 2 (SPEC.md k.2, k.3, m.19).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main';
import { memoryIO } from '../../support/memory-io';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { seedDemoDb } from '../../support/demo-db';
import { tempDir } from '../../support/cli';

describe('batchdesk serve', () => {
  it('prints the URL first, serves the contract with the token, and stops on the signal', { timeout: 120_000 }, async () => {
    const db = seedDemoDb(SHORT_NOW);
    const io = memoryIO({ BATCHDESK_NOW: SHORT_NOW });
    const stop = new AbortController();
    const running = main(['serve', '--db', db, '--port', '0'], { io, signal: stop.signal });
    while (io.stdout.length === 0) await new Promise((r) => setTimeout(r, 50));
    const url = new URL(io.stdout[0]!);
    expect(url.hostname).toBe('127.0.0.1');
    const token = /^#token=([A-Za-z0-9_-]{40,})$/.exec(url.hash)?.[1];
    expect(token).toBeDefined();
    const denied = await fetch(`${url.origin}/api/commands/listPortfolios`, { method: 'POST', body: '{}' });
    expect(denied.status).toBe(401);
    const r = await fetch(`${url.origin}/api/commands/listPortfolios`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { output: { portfolios: unknown[] } }).output.portfolios).toHaveLength(5);
    const page = await fetch(`${url.origin}/`);
    expect(await page.text()).toContain('<div id="root">');
    stop.abort();
    expect(await running).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/127\.0\.0\.1 only/);
    await expect(fetch(`${url.origin}/`)).rejects.toThrow();
  });

  it('refuses a missing database (exit 5), a bad port and a busy port (exit 2)', async () => {
    const io = memoryIO();
    expect(await main(['serve', '--db', join(tempDir(), 'none.db')], { io })).toBe(5);
    expect(io.stderr.join('\n')).toMatch(/does not exist/);
    const db = seedDemoDb(SHORT_NOW);
    expect(await main(['serve', '--db', db, '--port', '70000'], { io: memoryIO() })).toBe(2);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const busy = memoryIO();
    expect(await main(['serve', '--db', db, '--port', String(port)], { io: busy })).toBe(2);
    expect(busy.stderr.join('\n')).toMatch(/already in use/);
    blocker.close();
  });
});
