/**
 * A child process that takes the run lock of a database and holds it until killed (tests of
 * lock refusal and stale-lock takeover): `hold-lock.ts DB [KIND]`, KIND a lock kind (default
 * run). Prints "locked <pid>" when it holds the lock.
 */
import { hostname } from 'node:os';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { LockKind } from '../../core/ports/store';
import { openStore } from '../../host/engine-host';

const path = process.argv[2]!;
const kind = (process.argv[3] ?? 'run') as LockKind;
const opened = openStore(path, { mustExist: true });
const now = formatTimestamp(Date.now());
const r = opened.store.acquireLock({ kind, runId: 'held-by-test', holder: 'cli', host: hostname(), pid: process.pid, acquiredAt: now, heartbeatAt: now }, () => false, now);
if (!r.acquired) {
  process.stdout.write('busy\n');
  process.exit(1);
}
process.stdout.write(`locked ${process.pid}\n`);
setInterval(() => opened.store.heartbeat('held-by-test', formatTimestamp(Date.now())), 200);
