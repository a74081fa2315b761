/**
 * The renderer's engine client: results parsed with the contract's output schemas, the one
 * error shape turned into EngineError, commands unknown to this engine refused locally, the
 * URL-fragment token of browser mode, and engine status validation.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { EngineError, errorText } from '../../../renderer/engine-client/engine-error';
import { tokenFromLocation } from '../../../renderer/engine-client/http-transport';
import { FakeTransport } from '../../support/app/fake-transport';

const timer = { now: () => Date.now(), setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

describe('engine client', () => {
  it('returns outputs that match the contract and rejects those that do not', async () => {
    const t = new FakeTransport({ listPortfolios: () => ({ portfolios: [] }), getTracking: () => ({ dates: 'nope' }) });
    const c = new EngineClient(t, timer);
    expect(await c.call('listPortfolios', {})).toEqual({ portfolios: [] });
    await expect(c.call('getTracking', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('does not match the contract') });
  });

  it('turns the error shape into an EngineError', async () => {
    const c = new EngineClient(new FakeTransport(), timer);
    const err = await c.call('listPortfolios', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('not_found');
    expect(errorText(err)).toMatch(/\(not_found\)$/);
  });

  it('callNamed refuses a command this engine does not have without sending it', async () => {
    const t = new FakeTransport();
    const c = new EngineClient(t, timer);
    await expect(c.callNamed('fooBar', {}, z.unknown())).rejects.toMatchObject({ code: 'not_found' });
    expect(t.calls).toEqual([]);
  });

  it('keeps valid engine statuses only', () => {
    const t = new FakeTransport();
    const c = new EngineClient(t, timer);
    const seen: string[] = [];
    c.onEngineStatus((s) => seen.push(s.state));
    c.connect();
    t.status({ state: 'crashed', message: 'x', restarts: 1 });
    t.status({ state: 'exploded' });
    t.status({ state: 'ready', restarts: 1, recoveredLock: null });
    expect(seen).toEqual(['crashed', 'ready']);
    expect(c.connectionState).toBe('open');
    c.disconnect();
    expect(t.subscribed).toBe(false);
  });

  it("words errors in the form's language: no command prefix, the form's labels for flags and fields, no usage code", () => {
    const usage = (message: string, path: string[], prefix = `planRun: ${path.join('.')}: `) => new EngineError({ code: 'usage', message: `${prefix}${message}`, details: { issues: [{ code: 'custom', message, path }] } });
    const labels = { startDate: 'start date', endDate: 'end date', targetDate: 'date', chunkDays: 'chunk size' };
    expect(errorText(usage('--end-date 2026-11-10 is before --start-date 2026-11-20', ['endDate']), labels)).toBe('End date 2026-11-10 is before start date 2026-11-20');
    // A generic issue gets its field's label; a field the form does not label reads as words.
    expect(errorText(usage('Too small: expected number to be >=0', ['chunkDays']), labels)).toBe('Chunk size: Too small: expected number to be >=0');
    expect(errorText(usage('Too small: expected number to be >=0', ['riskFreeRate']))).toBe('Risk free rate: Too small: expected number to be >=0');
    // Usage errors raised by the engine itself carry no issues and no prefix.
    expect(errorText(new EngineError({ code: 'usage', message: '--target-date 2026-11-26 is not a trading day; the previous trading day is 2026-11-25' }), labels)).toBe(
      'Date 2026-11-26 is not a trading day; the previous trading day is 2026-11-25',
    );
    // Other codes keep their code.
    expect(errorText(new EngineError({ code: 'internal', message: 'the run stopped unexpectedly' }))).toBe('The run stopped unexpectedly (internal)');
    // An expected refusal says who holds the database and what to do: no raw code after it.
    expect(errorText(new EngineError({ code: 'locked', message: 'the database is locked by another run (cli pid 7 on h)' }))).toBe('The database is locked by another run (cli pid 7 on h)');
    // A message that starts with a file name keeps its case.
    // A data error's message says what is wrong with the input: no code after it.
    expect(errorText(new EngineError({ code: 'data', message: 'bad.csv line 3, column 3 (close): expected a number' }))).toBe('bad.csv line 3, column 3 (close): expected a number');
    expect(errorText(new EngineError({ code: 'io', message: '/tmp/x.db: cannot write' }))).toBe('/tmp/x.db: cannot write (io)');
  });

  it('keeps backquoted commands verbatim, and the CLI advice of a refusal that is no usage error', () => {
    const labels = { startDate: 'start date', endDate: 'end date' };
    const notFound = new EngineError({ code: 'not_found', message: 'database /tmp/x.db does not exist. Create it with `batchdesk seed-demo --db /tmp/x.db` or import a dump.' });
    expect(errorText(notFound, labels)).toBe('Database /tmp/x.db does not exist. Create it with `batchdesk seed-demo --db /tmp/x.db` or import a dump. (not_found)');
    const notSqlite = new EngineError({ code: 'data', message: '/tmp/x.db is not a SQLite database (or is encrypted or damaged). Check the --db path (it must point at a batchdesk .sqlite file).' });
    expect(errorText(notSqlite)).toBe('/tmp/x.db is not a SQLite database (or is encrypted or damaged). Check the --db path (it must point at a batchdesk .sqlite file).');
    // A usage error is about the form's input: its flags read as the form's labels (else as words); the command after them is pasted as printed.
    const usage = new EngineError({ code: 'usage', message: '--end-date 2025-07-01 is before --start-date 2025-07-09; see `batchdesk run --help` and `batchdesk verify guard --start-date 2025-07-01 --end-date 2025-07-09 --db x.db`' });
    expect(errorText(new EngineError({ code: 'usage', message: '--target-date 2025-07-05 is not a trading day; see `batchdesk run --target-date 2025-07-03`' }))).toBe(
      'Target date 2025-07-05 is not a trading day; see `batchdesk run --target-date 2025-07-03`',
    );
    expect(errorText(usage, labels)).toBe('End date 2025-07-01 is before start date 2025-07-09; see `batchdesk run --help` and `batchdesk verify guard --start-date 2025-07-01 --end-date 2025-07-09 --db x.db`');
  });

  it('reads the token from the URL fragment only', () => {
    expect(tokenFromLocation('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromLocation('#x=1&token=abc')).toBe('abc');
    expect(tokenFromLocation('')).toBeNull();
    expect(tokenFromLocation('#token=')).toBeNull();
    expect(tokenFromLocation('#token=<script>')).toBeNull();
  });
});
