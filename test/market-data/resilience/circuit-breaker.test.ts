import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  type CircuitCause,
  type CircuitPermit,
  type CircuitState,
} from '../../../market-data/resilience/circuit-breaker';
import { circuitBreakerConfigSchema } from '../../../market-data/resilience/retry-policy';
import { VirtualTime } from '../../support/yahoo-mock/virtual-time';

const SPEC = circuitBreakerConfigSchema.parse({});

function setup(options = SPEC) {
  const time = new VirtualTime();
  const changes: [CircuitState, CircuitCause | null][] = [];
  const breaker = new CircuitBreaker(options, time, (s, c) => void changes.push([s, c]));
  const permit = (): CircuitPermit => {
    const a = breaker.admit();
    if (!a.admitted) throw new Error('expected admission');
    return a.permit;
  };
  const fail = (rateLimited = false): void => breaker.recordFailure(permit(), rateLimited);
  const succeed = (): void => breaker.recordSuccess(permit());
  return { time, breaker, changes, permit, fail, succeed };
}

describe('CircuitBreaker (SPEC e.7)', () => {
  it('has the SPEC defaults', () => {
    expect(SPEC).toEqual({ consecutiveFailures: 5, windowSize: 20, windowMinRequests: 10, windowFailureRatio: 0.5, cooldownMs: 60_000, cooldownMaxMs: 600_000 });
  });

  it('opens after 5 consecutive failures, not after 4 and a success', () => {
    const { breaker, fail, succeed, changes } = setup();
    for (let i = 0; i < 4; i += 1) fail();
    succeed();
    for (let i = 0; i < 4; i += 1) fail();
    expect(breaker.snapshot().state).toBe('closed');
    fail();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', cause: 'errors', cooldownMs: 60_000 });
    expect(changes).toEqual([['open', 'errors']]);
  });

  it('opens when half of the last requests failed, once the window holds 10', () => {
    // S F S F ... never has 2 failures in a row; the 10th request makes 5/10 = half.
    const { breaker, fail, succeed } = setup();
    for (let i = 0; i < 4; i += 1) {
      succeed();
      fail();
    }
    succeed();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', window: [false, true, false, true, false, true, false, true, false] });
    fail();
    expect(breaker.snapshot().state).toBe('open');
  });

  it('a window below half stays closed, and the window slides over the last 20', () => {
    const { breaker, fail, succeed } = setup();
    for (let i = 0; i < 30; i += 1) {
      if (i % 3 === 0) fail();
      else succeed();
    }
    const s = breaker.snapshot();
    expect(s.state).toBe('closed');
    expect(s.window).toHaveLength(20);
  });

  it('remembers that it opened because of rate limiting', () => {
    const { breaker, fail } = setup();
    fail(false);
    fail(true);
    fail(true);
    fail(false);
    fail(true);
    const s = breaker.snapshot();
    expect(s).toMatchObject({ state: 'open', cause: 'rate_limited' });
    const refusal = breaker.admit();
    expect(refusal).toEqual({ admitted: false, cause: 'rate_limited', retryInMs: 60_000 });
  });

  it('refuses for the cooldown, then admits exactly one trial (half-open)', () => {
    const { breaker, time, fail, changes } = setup();
    for (let i = 0; i < 5; i += 1) fail();
    time.advance(59_999);
    expect(breaker.admit()).toMatchObject({ admitted: false, retryInMs: 1 });
    time.advance(1);
    const trial = breaker.admit();
    expect(trial).toMatchObject({ admitted: true, permit: { trial: true } });
    expect(breaker.admit()).toMatchObject({ admitted: false, cause: 'errors', retryInMs: 0 });
    expect(changes).toEqual([
      ['open', 'errors'],
      ['half_open', 'errors'],
    ]);
  });

  it('a failed trial re-opens with the cooldown doubled, at most 10 minutes', () => {
    const { breaker, time, fail } = setup();
    for (let i = 0; i < 5; i += 1) fail();
    const cooldowns: number[] = [];
    for (let round = 0; round < 6; round += 1) {
      const s = breaker.snapshot();
      cooldowns.push(s.cooldownMs);
      time.advance(s.cooldownMs);
      fail(); // the trial
    }
    // Provenance: hand-computed, 60 s doubled per re-opening, capped at 600 s.
    expect(cooldowns).toEqual([60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
    expect(breaker.snapshot().state).toBe('open');
  });

  it('a successful trial closes the circuit and resets cooldown, streak and window', () => {
    const { breaker, time, fail, succeed, changes } = setup();
    for (let i = 0; i < 5; i += 1) fail();
    time.advance(60_000);
    fail(); // trial fails: 120 s
    time.advance(120_000);
    succeed(); // trial succeeds
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', cause: null, cooldownMs: 60_000, consecutiveFailures: 0, window: [] });
    expect(changes.map(([s]) => s)).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('ignores results of requests admitted before the latest state change', () => {
    const { breaker, permit, fail, time } = setup();
    const slow = permit();
    for (let i = 0; i < 5; i += 1) fail();
    breaker.recordFailure(slow, false); // must not extend or re-open
    expect(breaker.snapshot()).toMatchObject({ state: 'open', cooldownMs: 60_000 });
    time.advance(60_000);
    const trial = permit();
    breaker.recordSuccess(slow); // a stale success must not close it either
    expect(breaker.snapshot().state).toBe('half_open');
    breaker.recordSuccess(trial);
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('recheck stops an admitted request once the circuit opened; abandon frees the trial slot', () => {
    const { breaker, permit, fail, time } = setup();
    const early = permit();
    expect(breaker.recheck(early)).toBeNull();
    for (let i = 0; i < 5; i += 1) fail();
    expect(breaker.recheck(early)).toMatchObject({ admitted: false, cause: 'errors' });
    time.advance(60_000);
    const trial = permit();
    expect(breaker.recheck(trial)).toBeNull();
    expect(breaker.recheck(early)).not.toBeNull();
    breaker.abandon(trial);
    const next = breaker.admit();
    expect(next).toMatchObject({ admitted: true, permit: { trial: true } });
  });

  it('uses configured thresholds and cooldowns (m.17: tests shrink them)', () => {
    const { breaker, fail, time } = setup(circuitBreakerConfigSchema.parse({ consecutiveFailures: 2, cooldownMs: 5, cooldownMaxMs: 8 }));
    fail();
    fail();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', cooldownMs: 5 });
    time.advance(5);
    fail();
    expect(breaker.snapshot().cooldownMs).toBe(8);
  });
});
