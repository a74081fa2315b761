// @vitest-environment happy-dom
/**
 * A restore shows what it is doing while it runs (SPEC.md j.3 "a blocking progress dialog"):
 * the host's `restore_step` events (host/maintenance/restore.ts) become the list of steps,
 * each done, running or still to come, with the time since the click ticking; when the restore
 * succeeds every step shows done for a moment, then the dialog goes, and the outcome says how
 * long it took, as the dialog's clock last said. A step whose event was coalesced into a later
 * one's (the UI bridge keeps the latest metric of a name) still shows as done. The steps' times
 * and the elapsed time read one clock in whole seconds since the click, so they add up.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { applyStepEvent, DONE_SHOWN_MS, elapsedText, finishStepProgress, startStepProgress, StepDialog, stepLines } from '../../../renderer/features/data/step-progress';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

afterEach(cleanup);

const FILE = '/data/backups/portfolios.20250710T230000Z.manual.sqlite';
/**
 * The steps and their words as host/maintenance/restore.ts plans them (RESTORE_STEPS;
 * test/host/handlers/restore-steps.test.ts checks the host's side of the events).
 */
const RESTORE_STEPS = {
  verify: 'Verifying the backup: checksum, integrity and foreign keys',
  safety_backup: 'Making a verified safety backup of the current database',
  replace: 'Replacing the database with the backup',
  reopen: 'Opening the restored database and applying migrations',
} as const;
type RestoreStep = keyof typeof RESTORE_STEPS;
const PLAN: readonly RestoreStep[] = ['verify', 'safety_backup', 'replace', 'reopen'];
const WORDS = PLAN.map((s) => RESTORE_STEPS[s]);

type Listed = CommandOutput<'listBackups'>['backups'][number];
const listed: Listed = { hasManifest: true, file: FILE, madeAt: '2025-07-10T23:00:00.000000Z', reason: 'manual', sha256: 'a'.repeat(64), bytes: 4096, rowCountsVerified: true, lastVerification: null, managedByRetention: true };

let seq = 0;
/** A restore_step event as the host's restore sends it. */
const stepEvent = (step: RestoreStep, plan: readonly RestoreStep[] = PLAN): TelemetryEvent => ({
  event: 'metric',
  schema: 1,
  run_id: null,
  seq: ++seq,
  ts: '2025-07-11T08:15:02.000000Z',
  source: 'app',
  level: 'info',
  payload: { name: 'restore_step', value: plan.indexOf(step) + 1, unit: null, date: null, portfolio_id: null, tags: { step, steps: plan.map((s) => RESTORE_STEPS[s]) } },
});

/** The Data screen whose restore answers when the test says so. */
function renderWithPendingRestore(removedLeftovers: string[] = []) {
  let finish: (ok: boolean) => void = () => undefined;
  const transport = new FakeTransport({
    listBackups: () => ({ dir: '/data/backups', backups: [listed], incomplete: [] }),
    restoreBackup: () =>
      new Promise((resolve, reject) => {
        finish = (ok) => (ok ? resolve({ database: '/data/portfolios.sqlite', restoredFrom: FILE, safetyBackup: '/data/backups/portfolios.20250711T081502Z.pre-restore.sqlite', manifestChecked: true, migrationsApplied: 0, rowCounts: {}, removedLeftovers }) : reject(new Error('the restore broke')));
      }),
  });
  renderDataScreen(transport);
  return { transport, finish: (ok: boolean) => act(() => finish(ok)) };
}

async function clickRestore() {
  const row = within(await screen.findByTestId('backups-table')).getAllByRole('row')[1]!;
  fireEvent.click(within(row).getByText('Restore...'));
  fireEvent.click(within(row).getByText('Restore'));
}

const stepStates = () => [...screen.getByTestId('restore-steps').querySelectorAll('li')].map((li) => [li.querySelector('.step-label')!.textContent, li.getAttribute('data-state')]);

/** The seconds the dialog's elapsed time says, and those its done steps say, in order. */
function dialogSeconds(): { elapsed: number; steps: number[] } {
  const elapsed = Number(/^Elapsed: (\d+) s$/.exec(screen.getByTestId('restore-elapsed').textContent ?? '')?.[1]);
  const steps = [...screen.getByTestId('restore-steps').querySelectorAll('.step-state')].map((s) => Number(/^\(done, (\d+) s\)$/.exec(s.textContent ?? '')?.[1]));
  return { elapsed, steps };
}

describe('restore progress on the Data screen', () => {
  it('opens a blocking dialog at the click, lists the steps as they happen, and closes with the outcome and the time it took', async () => {
    const { transport, finish } = renderWithPendingRestore();
    await clickRestore();
    const dialog = await screen.findByTestId('restore-progress');
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(dialog.textContent).toContain('portfolios.20250710T230000Z.manual.sqlite');
    expect(within(dialog).getByText('Starting the restore...')).toBeTruthy();
    expect(screen.getByTestId('restore-elapsed').textContent).toBe('Elapsed: 0 s');

    act(() => transport.emit(stepEvent('verify')));
    await waitFor(() => expect(stepStates()).toEqual([[WORDS[0], 'running'], [WORDS[1], 'pending'], [WORDS[2], 'pending'], [WORDS[3], 'pending']]));
    expect(screen.getByTestId('restore-steps').textContent).toContain(`${WORDS[0]} (in progress, step 1 of 4)`);

    act(() => transport.emit(stepEvent('safety_backup')));
    await waitFor(() => expect(stepStates().map(([, s]) => s)).toEqual(['done', 'running', 'pending', 'pending']));
    expect(screen.getByTestId('restore-steps').querySelector('li')!.textContent).toMatch(new RegExp(`^${WORDS[0]!.replace(/[()]/g, '\\$&')} \\(done, \\d+ s\\)$`));
    expect(screen.getByTestId('restore-steps').querySelectorAll('li')[3]!.textContent).toBe(`${WORDS[3]} (waiting)`);
    // The clock moves while the restore runs.
    await waitFor(() => expect(screen.getByTestId('restore-elapsed').textContent).toBe('Elapsed: 1 s'), { timeout: 3_000 });
    act(() => transport.emit(stepEvent('replace')));
    await waitFor(() => expect(stepStates().map(([, s]) => s)).toEqual(['done', 'done', 'running', 'pending']));
    act(() => transport.emit(stepEvent('reopen')));
    await waitFor(() => expect(stepStates().map(([, s]) => s)).toEqual(['done', 'done', 'done', 'running']));

    // Done: every step shows done, their times adding up to the elapsed time, which the outcome says too.
    finish(true);
    await waitFor(() => expect(stepStates().map(([, s]) => s)).toEqual(['done', 'done', 'done', 'done']));
    const { elapsed, steps } = dialogSeconds();
    expect(steps.reduce((a, b) => a + b, 0)).toBe(elapsed);
    expect(screen.getByTestId('backup-message').textContent).toMatch(
      new RegExp(`^Restored /data/backups/portfolios\\.20250710T230000Z\\.manual\\.sqlite in ${elapsed} s; the previous state is kept in .*pre-restore\\.sqlite\\.$`),
    );
    // Then the dialog goes.
    await waitFor(() => expect(screen.queryByTestId('restore-progress')).toBeNull(), { timeout: DONE_SHOWN_MS + 1_000 });
  });

  it('says the copies a killed restore had left, which it removed first', async () => {
    const left = '/data/.portfolios.sqlite.restore-4242.tmp';
    const { finish } = renderWithPendingRestore([left]);
    await clickRestore();
    await screen.findByTestId('restore-progress');
    finish(true);
    await waitFor(() => expect(screen.getByTestId('backup-message').textContent).toMatch(/pre-restore\.sqlite\. Before the copy it removed 1 file a killed restore left beside the database: \/data\/\.portfolios\.sqlite\.restore-4242\.tmp\.$/));
  });

  it('a failed restore closes the dialog and says why', async () => {
    const { transport, finish } = renderWithPendingRestore();
    await clickRestore();
    await screen.findByTestId('restore-progress');
    act(() => transport.emit(stepEvent('verify')));
    finish(false);
    await waitFor(() => expect(screen.queryByTestId('restore-progress')).toBeNull());
    expect(screen.getByTestId('backup-message').getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('backup-message').textContent).toBe('The restore broke');
  });

  it('Escape does not close the dialog while the restore runs', async () => {
    const { finish } = renderWithPendingRestore();
    await clickRestore();
    const dialog = (await screen.findByTestId('restore-progress')) as HTMLDialogElement;
    const cancel = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(dialog.open).toBe(true);
    finish(true);
    await waitFor(() => expect(screen.queryByTestId('restore-progress')).toBeNull(), { timeout: DONE_SHOWN_MS + 1_000 });
  });
});

describe('restore progress state', () => {
  it('a step that arrives without the one before it marks that one done, its duration unknown', () => {
    let p = startStepProgress('restore', 0);
    p = applyStepEvent(p, stepEvent('verify'), 1_000);
    p = applyStepEvent(p, stepEvent('replace'), 9_000);
    expect(stepLines(p, 10_200)).toEqual([
      { label: WORDS[0], state: 'done', ms: null },
      { label: WORDS[1], state: 'done', ms: null },
      { label: WORDS[2], state: 'running', ms: 1_000 },
      { label: WORDS[3], state: 'pending', ms: null },
    ]);
    p = applyStepEvent(p, stepEvent('reopen'), 12_000);
    expect(stepLines(p, 12_000)[2]).toEqual({ label: WORDS[2], state: 'done', ms: 3_000 });
  });

  it('the steps and the elapsed time read one clock in whole seconds since the click: they agree, and add up', () => {
    // The first step's event comes 0.1 s after the click, the second's 8.6 s after it: at 8.9 s,
    // the first step took 8 s (from the click), as the elapsed time says, not 8.5 s rounded to 9.
    let p = applyStepEvent(startStepProgress('restore', 0), stepEvent('verify'), 100);
    p = applyStepEvent(p, stepEvent('safety_backup'), 8_600);
    const view = render(
      <StepDialog progress={p} now={8_900}>
        <p>restoring</p>
      </StepDialog>,
    );
    expect(screen.getByTestId('restore-elapsed').textContent).toBe('Elapsed: 8 s');
    expect(screen.getByTestId('restore-steps').querySelector('li')!.textContent).toBe(`${WORDS[0]} (done, 8 s)`);
    // Each boundary falls in its own second; the four steps' times add up to the elapsed time it ends on.
    p = applyStepEvent(applyStepEvent(p, stepEvent('replace'), 9_300), stepEvent('reopen'), 17_400);
    view.rerender(
      <StepDialog progress={finishStepProgress(p, 17_950)} now={99_000}>
        <p>restoring</p>
      </StepDialog>,
    );
    expect(dialogSeconds()).toEqual({ elapsed: 17, steps: [8, 1, 8, 0] });
  });

  it('a succeeded operation shows every step done (the ones whose start was not seen without a time), and stops its clock', () => {
    const p = finishStepProgress(applyStepEvent(startStepProgress('restore', 0), stepEvent('safety_backup'), 2_500), 4_200);
    // The first step ran from the click to the second's start; the second's end (the third's start) was not seen.
    expect(stepLines(p, 60_000)).toEqual([
      { label: WORDS[0], state: 'done', ms: 2_000 },
      { label: WORDS[1], state: 'done', ms: null },
      { label: WORDS[2], state: 'done', ms: null },
      { label: WORDS[3], state: 'done', ms: null },
    ]);
    // A step's event after the end changes nothing.
    expect(applyStepEvent(p, stepEvent('reopen'), 5_000)).toBe(p);
  });

  it("a step seen already, and other events, change nothing; nor does a restore's step a purge's progress", () => {
    const p = applyStepEvent(startStepProgress('restore', 0), stepEvent('safety_backup'), 1_000);
    expect(applyStepEvent(p, stepEvent('verify'), 2_000)).toBe(p);
    expect(applyStepEvent(p, { ...stepEvent('replace'), payload: { ...(stepEvent('replace').payload as object), name: 'import_progress' } } as TelemetryEvent, 2_000)).toBe(p);
    const purge = startStepProgress('purge', 0);
    expect(applyStepEvent(purge, stepEvent('verify'), 1_000)).toBe(purge);
  });

  it('the plan without a safety backup has three steps', () => {
    const plan: RestoreStep[] = ['verify', 'replace', 'reopen'];
    const p = applyStepEvent(startStepProgress('restore', 0), stepEvent('verify', plan), 10);
    expect(stepLines(p, 10).map((l) => l.label)).toEqual([RESTORE_STEPS.verify, RESTORE_STEPS.replace, RESTORE_STEPS.reopen]);
  });

  it('the elapsed time reads in whole seconds, then minutes', () => {
    expect([0, 999, 1_000, 59_999, 60_000, 125_400].map(elapsedText)).toEqual(['0 s', '0 s', '1 s', '59 s', '1 min 00 s', '2 min 05 s']);
  });
});
