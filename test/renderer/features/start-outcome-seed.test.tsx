// @vitest-environment happy-dom
/**
 * A run refused because seed-demo holds the database (its lock kind `seed`) says so in the Run
 * screen's words, as it says a rebuild, purge, restore or import, not by the raw kind.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../renderer/engine-client/engine-error';
import { StartOutcome } from '../../../renderer/features/run/start-outcome';

afterEach(cleanup);

describe('a run refused while seed-demo holds the database', () => {
  it('names the demo seeding', () => {
    const holder = { kind: 'seed', runId: 'seed-1', batchRunId: null, holder: 'cli', host: 'desk-7', pid: 4242, acquiredAt: '2026-11-27T22:58:00.000000Z', heartbeatAt: '2026-11-27T22:58:00.000000Z' };
    const error = new EngineError({ code: 'locked', message: 'the database is locked by another seed-demo (cli pid 4242 on desk-7, since 2026-11-27T22:58:00.000000Z, last heartbeat 2026-11-27T22:58:00.000000Z); wait for it to finish (it cannot be cancelled)' });
    render(<StartOutcome start={{ state: 'refused', error, exitCode: 3, lockHolder: holder }} />);
    expect(screen.getByTestId('start-refusal-message').textContent).toBe(
      'The CLI (pid 4242 on desk-7) has held the database since 2026-11-27 22:58:00 for seeding the demo data (seed-demo); start the run again once it has finished.',
    );
  });
});
