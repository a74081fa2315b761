/**
 * startRun's `accepted` says whether a run started: false for a start the held lock refused
 * (it read true whatever happened, a tester found over HTTP), true for a run that began.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import { liveProcess, writeLiveLock } from '../../reliability/bad-input-harness';
import { testHostContext } from '../../support/app/host-context';
import { seedDemoDb, copyDb } from '../../support/demo-db';
import { SAFE_NOW } from '../../support/safeguards';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

describe('startRun accepted', () => {
  it('is false when the lock refuses the start, with the refusal in its status', async () => {
    const db = copyDb(seedDemoDb(SAFE_NOW));
    const holder = liveProcess();
    children.push(holder);
    writeLiveLock(db, holder.pid!, SAFE_NOW);
    const r = await dispatch('startRun', {}, testHostContext(db, SAFE_NOW));
    if (!r.ok) throw new Error(r.error.message);
    const out = r.output as { accepted: boolean; status: { runId: string | null; error: { code: string } | null } };
    expect(out.accepted).toBe(false);
    expect(out.status.runId).toBeNull();
    expect(out.status.error?.code).toBe('locked');
  }, 120_000);

  it('is true for a run that began', async () => {
    const db = copyDb(seedDemoDb(SAFE_NOW));
    const ctx = testHostContext(db, SAFE_NOW);
    const r = await dispatch('startRun', { targetDate: '2025-07-01' }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect((r.output as { accepted: boolean; status: { runId: string | null } }).accepted).toBe(true);
    await ctx.runs.settled();
  }, 120_000);
});
