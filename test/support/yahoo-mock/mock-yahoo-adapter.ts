/**
 * A YahooAdapter pointed at the Yahoo mock, with everything a test wants to look at:
 * the clock, the sleeps, the log, the metrics. Uses yahoo-finance2's real code path; only the
 * transport is the mock's URL-rewriting fetch. A fresh cookie jar per adapter, so each one
 * runs the cookie/crumb flow itself.
 *
 * time 'virtual' (default): waits cost nothing and are recorded (VirtualTime); SPEC waits,
 *   except the request timeout, which runs on real timers: 2 s here (loopback answers take
 *   milliseconds, so only a 'hang' fault reaches it; hang tests shrink it further).
 * time 'real': real clock and timers with every wait shrunk to milliseconds (m.17), for
 *   end-to-end runs of the engine against the mock.
 */
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import type { Clock } from '../../../core/ports/clock';
import type { ProviderMetric } from '../../../core/ports/market-data';
import type { Random } from '../../../core/ports/random';
import { realSleep } from '../../../market-data/resilience/sleep';
import { YahooAdapter } from '../../../market-data/yahoo/yahoo-adapter';
import type { YahooConfigInput } from '../../../market-data/yahoo/yahoo-config';
import { recordingLogger, seededRandom } from './test-doubles';
import { VirtualTime } from './virtual-time';
import type { YahooMock } from './yahoo-mock-server';

/** Real-time configuration with every wait shrunk to milliseconds. */
export const SHRUNK_REAL_TIME_CONFIG: YahooConfigInput = {
  ratePerSecond: 1000,
  burst: 2,
  maxInFlight: 2,
  maxRetries: 3,
  backoffBaseMs: 2,
  backoffCapMs: 20,
  retryAfterCapMs: 50,
  timeoutMs: 1_000,
  circuit: { cooldownMs: 100, cooldownMaxMs: 1_000 },
};

export interface MockAdapterOptions {
  readonly time?: 'virtual' | 'real';
  /** Merged over the defaults of the chosen time mode. */
  readonly config?: YahooConfigInput;
  readonly random?: Random;
  readonly seed?: number;
}

export interface MockAdapterSetup {
  readonly adapter: YahooAdapter;
  readonly clock: Clock;
  /** Present in virtual time. */
  readonly time: VirtualTime | null;
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly metrics: ProviderMetric[];
}

export function createMockYahooAdapter(mock: YahooMock, options: MockAdapterOptions = {}): MockAdapterSetup {
  const virtual = (options.time ?? 'virtual') === 'virtual';
  const time = virtual ? new VirtualTime() : null;
  const clock: Clock = time ?? { now: () => Date.now() };
  const logger = recordingLogger();
  const metrics: ProviderMetric[] = [];
  const defaults: YahooConfigInput = virtual ? { timeoutMs: 2_000 } : SHRUNK_REAL_TIME_CONFIG;
  const adapter = new YahooAdapter({
    config: { ...defaults, ...options.config, circuit: { ...defaults.circuit, ...options.config?.circuit } },
    logger,
    transport: mock.fetch,
    clock,
    sleep: time ? time.sleep : realSleep,
    random: options.random ?? seededRandom(options.seed ?? 42),
    cookieJar: new ExtendedCookieJar(),
    onMetric: (m) => void metrics.push(m),
  });
  return { adapter, clock, time, logger, metrics };
}
