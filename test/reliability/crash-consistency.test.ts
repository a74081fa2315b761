/** Three SIGKILL trials in the normal suite; `npm run reliability` runs twenty. */
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareCrashFixture, runCrashTrial, type CrashFixture } from './crash-harness';

describe('crash consistency under SIGKILL', () => {
  let fixture: CrashFixture;
  beforeAll(() => {
    fixture = prepareCrashFixture();
  }, 300_000);

  for (const seed of [101, 202, 303]) {
    it(`trial ${seed}: integrity ok, no partial portfolio-date, lock recovered, same content as an uninterrupted run`, async () => {
      const r = await runCrashTrial(fixture, seed);
      expect(r.integrity).toBe('ok');
      expect(r.partialPortfolioDates).toEqual([]);
      expect(r.restartExit === 0 || r.restartExit === 1).toBe(true);
      expect(r.differences).toEqual([]);
    }, 300_000);
  }
});
