/**
 * What taking over a killed rebuild's lock did, in the one set of words every taker says it with
 * (SPEC.md j.5, m.17): a run refused at the gate that takeover closed, an up-to-date run, and the
 * maintenance operations (purge, the CSV imports, the dump import's merge) that otherwise end with
 * their normal output and would leave the gate closed without a word.
 */
import type { LockTakeover } from '../ports/store';
import { interruptedRebuildRange, interruptedRebuildWaysOut } from './interrupted-rebuild';

/**
 * What taking over a killed rebuild's lock did (the rebuild closed as failed, the gate closed over
 * its range) and the ways out; null for any other takeover (a dead run's lock, a dead purge's),
 * which leaves the gate as it was.
 */
export function takeoverWords(takeover: LockTakeover): string | null {
  const r = takeover.interruptedRebuild;
  if (!r || takeover.gateChange?.state !== 'closed') return null;
  return `the rebuild holding the lock (pid ${takeover.lock.pid} on ${takeover.lock.host}) stopped before it finished: taking its lock over closed it as failed and closed the regression gate over ${interruptedRebuildRange(r)}; ${interruptedRebuildWaysOut(r)}`;
}

/** takeoverWords as the warnings of a command's result: one line when the takeover closed the gate, none otherwise (or without a takeover). */
export function takeoverWarnings(takeover: LockTakeover | null): string[] {
  const words = takeover ? takeoverWords(takeover) : null;
  return words ? [words] : [];
}
