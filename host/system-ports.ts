/**
 * The real clock and randomness. BATCHDESK_NOW (an ISO timestamp with offset) pins the clock
 * for tests and demos (SPEC.md f.3): time then advances from that instant at the real rate,
 * so durations stay meaningful.
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../core/ports/clock';
import type { Random } from '../core/ports/random';
import { usageError } from '../core/api/errors';

export function systemClock(env: Readonly<Record<string, string | undefined>> = process.env): Clock {
  const pinned = env['BATCHDESK_NOW'];
  if (!pinned) return { now: () => Date.now() };
  const at = Date.parse(pinned);
  if (!Number.isFinite(at) || !/^\d{4}-\d{2}-\d{2}T/.test(pinned)) throw usageError(`BATCHDESK_NOW=${pinned} is not an ISO timestamp (for example 2025-07-01T22:30:00-04:00)`);
  const offset = at - Date.now();
  return { now: () => Date.now() + offset };
}

export function systemRandom(): Random {
  return { next: () => randomInt(0, 2 ** 47) / 2 ** 47 };
}
