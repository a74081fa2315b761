// @vitest-environment happy-dom
/**
 * The closed gate's banner (SPEC.md i.4) is a bounded summary, not the raw findings: their
 * count and failed dates, the first few in words (date, portfolio, check, message), the time
 * in the app's format, and how to reopen the gate. The app has no control for that, so the
 * banner names the exact CLI commands with the --db of the database the app has open.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { GateBanner } from '../../../renderer/features/run/gate-banner';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

afterEach(cleanup);

/** A guard finding as settings.gate keeps it (host/diagnostics/guard.ts). */
function finding(i: number): Record<string, unknown> {
  return {
    portfolio_id: `p-${i}`,
    portfolio_name: `Demo Portfolio ${i}`,
    date: i < 40 ? '2025-10-08' : '2025-10-10',
    check: 'G2',
    expected: '0 rows (no successful job writes correlation_calculations)',
    actual: `${i} rows`,
    message: `correlation_calculations has rows although every job writing it failed (${i})`,
  };
}

function renderBanner(path: string): void {
  const gate = { state: 'closed', since: '2026-11-27T23:00:23.734000Z', run_id: 'r1', findings: Array.from({ length: 85 }, (_, i) => finding(i)), dates: ['2025-10-08', '2025-10-09', '2025-10-10'] };
  const transport = new FakeTransport({
    getGate: () => ({ gate }),
    getDatabaseInfo: () => ({ path, name: 'my demo.db', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: null, gate, maintenance: null, lock: null }),
  });
  const client = new EngineClient(transport);
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <GateBanner />
    </ServicesProvider>,
  );
}

describe('the closed gate banner', () => {
  it('counts the findings, words the first five, and names the reopen commands with --db', async () => {
    renderBanner('/data/my demo.db');
    const banner = await screen.findByTestId('gate-banner');
    expect(banner.querySelector('p')?.textContent).toBe(
      'Regression gate closed since 2026-11-27 23:00:23: 85 findings on 3 dates from 2025-10-08 to 2025-10-10. Starting a run is disabled until the guard passes over the failed dates or the gate is reopened with a reason.',
    );
    const items = [...screen.getByTestId('gate-findings').querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      '2025-10-08, Demo Portfolio 0, check G2: correlation_calculations has rows although every job writing it failed (0)',
      '2025-10-08, Demo Portfolio 1, check G2: correlation_calculations has rows although every job writing it failed (1)',
      '2025-10-08, Demo Portfolio 2, check G2: correlation_calculations has rows although every job writing it failed (2)',
      '2025-10-08, Demo Portfolio 3, check G2: correlation_calculations has rows although every job writing it failed (3)',
      '2025-10-08, Demo Portfolio 4, check G2: correlation_calculations has rows although every job writing it failed (4)',
      '... and 80 more.',
    ]);
    expect(banner.textContent).not.toContain('{');
    expect(banner.textContent).not.toContain('.734000Z');
    await waitFor(() =>
      expect(screen.getByTestId('gate-reopen').textContent).toBe(
        "The app cannot reopen the gate. Fix the data, then run batchdesk verify guard --start-date 2025-10-08 --end-date 2025-10-10 --db '/data/my demo.db', which reopens the gate once it passes over the failed dates; or reopen it without that check with batchdesk verify guard --reopen --reason TEXT --db '/data/my demo.db' (the reason is recorded).",
      ),
    );
  });
});
