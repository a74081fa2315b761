import { describe, expect, it } from 'vitest';
import { RequestLimiter } from '../../../market-data/resilience/request-limiter';
import { VirtualTime } from '../../support/yahoo-mock/virtual-time';

const never = new AbortController().signal;

describe('RequestLimiter (SPEC e.7: at most 2 in flight, token bucket)', () => {
  it('holds the third request until a slot is released, first come first served', async () => {
    const time = new VirtualTime();
    const limiter = new RequestLimiter({ ratePerSecond: 1_000, burst: 10, maxInFlight: 2 }, time, time.sleep);
    const r1 = await limiter.acquire(never);
    const r2 = await limiter.acquire(never);
    const order: string[] = [];
    const p3 = limiter.acquire(never).then((r) => (order.push('third'), r));
    const p4 = limiter.acquire(never).then((r) => (order.push('fourth'), r));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect(limiter.active).toBe(2);
    r1();
    r1(); // releasing twice frees one slot only
    const r3 = await p3;
    expect(order).toEqual(['third']);
    expect(limiter.active).toBe(2);
    r2();
    const r4 = await p4;
    expect(order).toEqual(['third', 'fourth']);
    r3();
    r4();
    expect(limiter.active).toBe(0);
  });

  it('spaces request starts by the token bucket (burst 2, then 1 s each at 1/s)', async () => {
    const time = new VirtualTime();
    const limiter = new RequestLimiter({ ratePerSecond: 1, burst: 2, maxInFlight: 2 }, time, time.sleep);
    const t0 = time.now();
    const starts: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const release = await limiter.acquire(never);
      starts.push(time.now() - t0);
      release();
    }
    // Provenance: hand-computed; two immediate starts, then one per second.
    expect(starts).toEqual([0, 0, 1_000, 2_000, 3_000]);
    expect(time.sleeps).toEqual([1_000, 1_000, 1_000]);
  });

  it('an aborted waiter leaves the queue with the abort reason and takes no slot', async () => {
    const time = new VirtualTime();
    const limiter = new RequestLimiter({ ratePerSecond: 1_000, burst: 10, maxInFlight: 1 }, time, time.sleep);
    const release = await limiter.acquire(never);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const reason = new Error('cancelled by test');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    release();
    expect(limiter.active).toBe(0);
    const again = await limiter.acquire(never);
    expect(limiter.active).toBe(1);
    again();
  });

  it('an already aborted signal is refused at once', async () => {
    const time = new VirtualTime();
    const limiter = new RequestLimiter({ ratePerSecond: 1, burst: 2, maxInFlight: 2 }, time, time.sleep);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('stop');
    expect(limiter.active).toBe(0);
  });
});
