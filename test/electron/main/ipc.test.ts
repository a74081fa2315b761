/**
 * Main's IPC with electron mocked (issue 8 acceptance): the sender is validated on every
 * message (the app window's main frame showing the app page), and every handler parses its
 * payload with zod before anything reaches the engine or a dialog.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, payload?: unknown) => Promise<unknown>>();
const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/data/reference.dump'] }));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload?: unknown) => Promise<unknown>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  dialog: { showOpenDialog },
}));

const { registerIpc, commandRequestSchema } = await import('../../../electron/main/ipc');
const { IPC_CHANNELS } = await import('../../../core/api/bridge');
const { appUrlMatcher } = await import('../../../electron/main/security');

const PAGE = 'file:///opt/batchdesk/resources/app.asar/out/renderer/index.html';

function frame(url: string) {
  return { url };
}

function setup(options: { destroyed?: boolean; noWindow?: boolean } = {}) {
  const mainFrame = frame(PAGE);
  const win = { isDestroyed: () => options.destroyed ?? false, webContents: { id: 7 } };
  const engine = { call: vi.fn(async (name: string, input: unknown) => ({ ok: true, output: { name, input } })) };
  const log = vi.fn();
  const off = registerIpc({ engine, window: () => (options.noWindow ? null : (win as never)), trustedUrl: appUrlMatcher(PAGE), log });
  const event = (over: { id?: number; frame?: { url: string }; mainFrame?: { url: string } } = {}) => {
    const mf = over.mainFrame ?? mainFrame;
    return { sender: { id: over.id ?? 7, mainFrame: mf }, senderFrame: over.frame ?? mf };
  };
  return { engine, log, off, event, mainFrame };
}

const command = () => handlers.get(IPC_CHANNELS.command)!;
const chooseDump = () => handlers.get(IPC_CHANNELS.chooseDumpFile)!;

beforeEach(() => {
  handlers.clear();
  showOpenDialog.mockClear();
});

describe('IPC sender validation', () => {
  it('a command from the app window reaches the engine', async () => {
    const { engine, event } = setup();
    const r = await command()(event(), { name: 'getTracking', input: { limit: 5 } });
    expect(r).toEqual({ ok: true, output: { name: 'getTracking', input: { limit: 5 } } });
    expect(engine.call).toHaveBeenCalledWith('getTracking', { limit: 5 });
  });

  it('refuses another web contents, a subframe, a foreign page, and a missing or destroyed window', async () => {
    const s = setup();
    const evil = frame('https://evil.example/');
    const cases = [
      s.event({ id: 8 }),
      s.event({ frame: frame(PAGE) }), // a frame that is not the main frame, even with the app URL
      s.event({ mainFrame: evil, frame: evil }), // the window navigated away
      s.event({ mainFrame: frame('file:///tmp/other.html'), frame: undefined }),
    ];
    for (const ev of cases) {
      expect(await command()(ev, { name: 'getTracking', input: {} })).toEqual({ ok: false, error: { code: 'forbidden', message: 'this sender may not talk to the engine' } });
    }
    expect(s.engine.call).not.toHaveBeenCalled();
    expect(s.log).toHaveBeenCalled();
    s.off();
    const gone = setup({ noWindow: true });
    expect(await command()(gone.event(), { name: 'getTracking', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    gone.off();
    const destroyed = setup({ destroyed: true });
    expect(await command()(destroyed.event(), { name: 'getTracking', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await chooseDump()(destroyed.event())).toBeNull();
    expect(showOpenDialog).not.toHaveBeenCalled();
  });
});

describe('IPC payload validation (zod on every handler)', () => {
  it('every invoke channel main registers is covered here', () => {
    setup();
    expect([...handlers.keys()].sort()).toEqual([IPC_CHANNELS.chooseDumpFile, IPC_CHANNELS.command].sort());
  });

  it('command: malformed messages are usage errors and never reach the engine', async () => {
    const { engine, event } = setup();
    for (const bad of [undefined, null, 42, 'getTracking', [], {}, { input: {} }, { name: '' }, { name: 'a b' }, { name: '../etc' }, { name: '__proto__' }, { name: 'x'.repeat(101) }, { name: 5 }]) {
      const r = (await command()(event(), bad)) as { ok: boolean; error: { code: string } };
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      expect(r.error.code).toBe('usage');
    }
    expect(engine.call).not.toHaveBeenCalled();
  });

  it('command: a well-formed name that is not a contract command is not_found', async () => {
    const { engine, event } = setup();
    for (const name of ['dropTables', 'constructor', 'hasOwnProperty', 'toString']) {
      expect(await command()(event(), { name, input: {} })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(engine.call).not.toHaveBeenCalled();
  });

  it('command: inputs pass through to the engine, which validates them with the contract', async () => {
    const { engine, event } = setup();
    await command()(event(), { name: 'startRun', input: { targetDate: 'not a date' } });
    expect(engine.call).toHaveBeenCalledWith('startRun', { targetDate: 'not a date' });
  });

  it('chooseDumpFile: takes no payload; with one it answers null without a dialog', async () => {
    const { event } = setup();
    expect(await chooseDump()(event(), { path: '/etc/passwd' })).toBeNull();
    expect(showOpenDialog).not.toHaveBeenCalled();
    expect(await chooseDump()(event())).toBe('/data/reference.dump');
    expect(showOpenDialog).toHaveBeenCalledTimes(1);
  });

  it('the command message schema accepts contract-shaped names only', () => {
    expect(commandRequestSchema.safeParse({ name: 'getTracking', input: {} }).success).toBe(true);
    expect(commandRequestSchema.safeParse({ name: 'get-tracking', input: {} }).success).toBe(false);
  });

  it('unregistering removes every handler', () => {
    const { off } = setup();
    off();
    expect(handlers.size).toBe(0);
  });
});
