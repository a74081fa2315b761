import { describe, expect, it } from 'vitest';
import { createYahooClient } from '../../../market-data/yahoo/yahoo-client';
import { recordingLogger } from '../../support/yahoo-mock/test-doubles';

const refuse = () => Promise.reject(new Error('no network in this test'));

describe('createYahooClient (SPEC e.7 client options)', () => {
  it('turns the version check off, suppresses notices, uses our fetch and logger, a jar per client', async () => {
    const logger = recordingLogger();
    const a = await createYahooClient({ fetch: refuse, logger, queueConcurrency: 4 });
    const b = await createYahooClient({ fetch: refuse, logger, queueConcurrency: 4 });
    const opts = (a as unknown as { _opts: Record<string, unknown> })._opts;
    expect(opts.versionCheck).toBe(false);
    expect(opts.suppressNotices).toEqual(['yahooSurvey', 'ripHistorical']);
    expect(opts.fetch).toBe(refuse);
    expect(opts.cookieJar).not.toBe((b as unknown as { _opts: Record<string, unknown> })._opts.cookieJar);
    expect(opts.validation).toMatchObject({ logErrors: false });
  });

  it('sends its runtime warning to the injected logger (Node < 22)', async () => {
    const logger = recordingLogger();
    await createYahooClient({ fetch: refuse, logger, queueConcurrency: 4 });
    const major = Number(process.versions.node.split('.')[0]);
    expect(logger.lines.filter((l) => l.level === 'warn' && l.message.startsWith('[yahoo-finance2] Unsupported environment'))).toHaveLength(major < 22 ? 1 : 0);
  });
});
