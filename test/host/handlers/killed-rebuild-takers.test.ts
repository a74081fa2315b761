/**
 * The app's takers of a killed rebuild's lock say what the takeover did, in the words the CLI
 * prints (test/host/maintenance/killed-rebuild-takers.test.ts): importPrices ("Add prices from
 * CSV") and purgeDerived ("Back up, then purge") carry the takeover's warning in their results,
 * and purgeDerived the rebuild's ways out as its advice, since the gate the takeover closed
 * refuses a run. Without a takeover both are empty. (importDump's merge says it in its report and
 * its text, as `import --merge` prints it.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGate } from '../../../db/maintenance/gate-setting';
import { openStore } from '../../../host/engine-host';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { tempDir } from '../../support/cli';
import { killedRebuildWords, leaveKilledRebuild } from '../../support/killed-rebuild';
import { SAFE_NOW } from '../../support/safeguards';

const PRICES = { text: 'symbol,date,close\nAAPL,2025-07-10,210.5\n', fileName: 'one.csv' };
const PURGE = { from: '2025-07-07', to: '2025-07-08' };

/** A new, migrated database file, with a killed rebuild left in it when `killed`; its path, the dead pid, and a host context over it. */
function database(killed: boolean) {
  const path = join(tempDir('killed-rebuild-takers-'), 'portfolios.sqlite');
  openStore(path).close();
  const pid = killed ? leaveKilledRebuild(path, SAFE_NOW) : null;
  return { path, pid, ctx: testHostContext(path, SAFE_NOW, { reader: false }) };
}

/** The state of the gate in the database file at `path`. */
function gateState(path: string): string {
  const opened = openStore(path, { mustExist: true });
  try {
    return readGate(opened.db).state;
  } finally {
    opened.close();
  }
}

describe('the app\'s takers of a killed rebuild\'s lock', () => {
  it('importPrices returns the warning `prices import` prints', async () => {
    const { path, pid, ctx } = database(true);
    const out = await dispatchOk(ctx, 'importPrices', PRICES);
    expect(out).toMatchObject({ inserted: 1, warnings: [killedRebuildWords(pid!, path)] });
    expect(gateState(path)).toBe('closed');
  });

  it('purgeDerived returns the warning `purge` prints, and the rebuild\'s ways out as its advice', async () => {
    const { path, pid, ctx } = database(true);
    const out = await dispatchOk(ctx, 'purgeDerived', PURGE);
    const words = killedRebuildWords(pid!, path);
    expect(out.warnings).toEqual([words]);
    expect(out.gateClosedWaysOut).toBe(words.split('; ')[1]);
    expect(gateState(path)).toBe('closed');
  });

  it('purgeDerived also returns its pre-purge backup\'s warnings, as `purge` prints them', async () => {
    const { path, ctx } = database(false);
    const folder = join(dirname(path), 'backups');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'portfolios.sqlite.20250101T000000Z.manual.sqlite'), 'x');
    const out = await dispatchOk(ctx, 'purgeDerived', { ...PURGE, backup: true });
    expect(out.backupFile).not.toBeNull();
    expect(out.warnings).toEqual([
      `retention left 1 backup file without a manifest in ${folder}: retention never deletes it, so delete it by hand when no longer needed (\`batchdesk backup list\` marks it "not managed")`,
    ]);
  });

  it('without a takeover both return no warning and no ways out', async () => {
    const { ctx } = database(false);
    expect((await dispatchOk(ctx, 'importPrices', PRICES)).warnings).toEqual([]);
    expect(await dispatchOk(ctx, 'purgeDerived', PURGE)).toMatchObject({ warnings: [], gateClosedWaysOut: null });
  });
});
