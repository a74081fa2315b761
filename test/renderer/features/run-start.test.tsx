// @vitest-environment happy-dom
/**
 * Starting a run from the Run screen. A run the engine refuses at start reports no event,
 * only a failed run status (exit code, error, lock holder: SPEC.md g.9, m.16): the form stays
 * with the refusal under it, naming the holder in one sentence in the UI's words (its run by
 * batch run id, its time as elsewhere, the engine's message folded away), and the Live screen
 * shows it too with the way back to the form. A plan saying the file is held disables Start
 * with the reason; a refusal for a held file goes once the run that held it is seen to end or
 * a new preview finds the file free, any other refusal once the form changes or a new plan is
 * made; a usage refusal's title has no exit code. Start says to preview the plan first, and
 * Resume is off, with the reason, when the history holds nothing to resume. The plan preview of
 * a single date names that date, its details name the phases as the form does; engine messages
 * about the options read in the form's words, and a chunk size out of range says the range the
 * form takes. After the run it started, the form still holds the user's choices.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OtherProcessRun, RunStatus } from '../../../core/api/commands/run-commands';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { RunScreen } from '../../../renderer/features/run/run-screen';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore, OTHER_RUN_POLL_MS } from '../../../renderer/state/live-store';
import type { ErrorShape } from '../../../core/api/errors';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { FakeHandler } from '../../support/app/fake-transport';
import { dateResultEvent, runStartEvent } from '../../support/telemetry/event-builders';
import { RefusingTransport, usageError } from '../refusing-transport';

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };
const HOLDER = { kind: 'run', runId: 'held-by-cli', batchRunId: 'batch_20261127_225800', holder: 'cli', host: 'desk-7', pid: 4242, acquiredAt: '2026-11-27T22:58:00.000000Z', heartbeatAt: '2026-11-27T22:59:50.000000Z' };
const LOCKED: RunStatus = {
  ...IDLE,
  state: 'failed',
  startedAt: '2026-11-27T23:00:00.000Z',
  exitCode: 3,
  error: { code: 'locked', message: 'the database is locked by another run (cli pid 4242 on desk-7, run batch_20261127_225800, since 2026-11-27T22:58:00.000000Z, last heartbeat 2026-11-27T22:59:50.000000Z); wait for it to finish or stop it with `batchdesk cancel`' },
  lockHolder: HOLDER,
};

/** What the engine's dry run says while another process holds the lock (g.4). */
const HELD_WARNING = 'a run now would be refused: the database is locked by another run (cli pid 4242 on desk-7, run batch_20261127_225800, since 2026-11-27T22:58:00.000000Z, last heartbeat 2026-11-27T22:59:50.000000Z); wait for it to finish or stop it with `batchdesk cancel`';

const plan = (dates: string[], warnings: string[] = []) => ({
  plan: {
    target_date: '2026-11-27',
    mode: 'normal',
    up_to_date: null,
    chunks: [{ index: 0, dates: dates.length }],
    dates: dates.map((date) => ({ date, date_phases: ['market_data'], portfolios: [{ portfolio_id: 'p1', phases: ['marks'] }], skipped: [] })),
    warnings,
    // The engine names the code of each refusal it warns of.
    refused_by: warnings.includes(HELD_WARNING) ? ['locked'] : [],
  },
});

/** The end of the run run-1 (one date, completed). */
const runResultEvent = (seq: number): TelemetryEvent => ({
  schema: 1,
  run_id: 'run-1',
  seq,
  ts: '2026-11-27T23:00:05.000000Z',
  source: 'engine',
  level: 'info',
  event: 'run_result',
  payload: { status: 'completed', exit_code: 0, dates_planned: 1, dates_succeeded: 1, dates_partial: 0, dates_failed: 0, dates_skipped: 0, duration_ms: 10, cancelled: false, guard_status: null },
});

/** What a resume with nothing to resume comes to (the planner's usage error, g.11). */
const NOTHING_TO_RESUME: RunStatus = { ...IDLE, state: 'failed', exitCode: 2, error: { code: 'usage', message: 'there is no interrupted or cancelled run to resume' } };

/** A run of the history with `status`. */
const historyRun = (status: string) => ({ id: `run-${status}`, batchRunId: `batch_${status}`, status, mode: 'normal', triggeredBy: 'cli', startedAt: '2026-11-27T22:00:00Z', completedAt: '2026-11-27T22:05:00Z', totalJobs: null, completedJobs: null, failedJobs: null, partialDates: null, durationSeconds: 300, options: {} });

const cliRun: OtherProcessRun = {
  runId: 'held-by-cli',
  batchRunId: 'batch_20261127_225800',
  mode: 'normal',
  holder: 'cli',
  host: 'desk-7',
  pid: 4242,
  startedAt: HOLDER.acquiredAt,
  heartbeatAt: HOLDER.heartbeatAt,
  datesPlanned: 10,
  datesDone: 3,
  datesFailed: 0,
  currentDate: '2026-11-05',
  cancelRequested: false,
};

function renderRun(commands: Record<string, FakeHandler>, refusals: Record<string, ErrorShape> = {}) {
  const transport = new RefusingTransport(
    {
      listPortfolios: () => ({ portfolios: [] }),
      getSettings: () => ({ settings: [], extra: {} }),
      getDatabaseInfo: () => ({}),
      getRunStatus: () => IDLE,
      getOtherProcessRun: () => ({ run: null }),
      ...commands,
    },
    refusals,
  );
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  const navigate = vi.fn();
  const view = (screenEl: React.ReactNode) => (
    <ServicesProvider value={{ client, live }}>
      <NavigationContext.Provider value={{ route: { screen: 'run', params: {} }, navigate }}>{screenEl}</NavigationContext.Provider>
    </ServicesProvider>
  );
  return { transport, navigate, live, view, ...render(view(<RunScreen />)) };
}

async function previewSingleDate(date: string, settle = () => waitFor(() => expect(screen.getByTestId('plan-preview')).toBeTruthy())): Promise<void> {
  fireEvent.click(screen.getByLabelText('Single date'));
  fireEvent.change(screen.getByTestId('run-target-date'), { target: { value: date } });
  fireEvent.click(screen.getByTestId('run-preview'));
  await settle();
}

/** The start's answer is in: the form's buttons are on again (a refusal shows just before). */
const answered = () => waitFor(() => expect((screen.getByTestId('run-preview') as HTMLButtonElement).disabled).toBe(false));

/** The refusal's text without its folded-away engine message. */
function mainText(): string {
  const outcome = screen.getByTestId('start-outcome').cloneNode(true) as HTMLElement;
  outcome.querySelector('details')?.remove();
  return outcome.textContent ?? '';
}

const advance = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('starting a run', () => {
  it('a refusal at start stays on the form, names the lock holder in one sentence, and shows on the Live screen with the way back', async () => {
    const { navigate, live, view, rerender } = renderRun({
      planRun: () => plan(['2026-11-02']),
      // The engine accepts the command; its run worker finds the lock held, and the answer says so.
      startRun: () => ({ accepted: true, status: LOCKED }),
    });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused'));
    expect(navigate).not.toHaveBeenCalled();
    const sentence = 'The CLI (pid 4242 on desk-7) has held the database since 2026-11-27 22:58:00 for run batch_20261127_225800; Live shows that run and can ask it to stop.';
    expect(mainText()).toBe(`The run did not start${sentence}`);
    // None of the engine's raw facts in the main text: no ISO time, code, run UUID or CLI command.
    expect(mainText()).not.toMatch(/T22:58|\.000000Z|\(locked\)|held-by-cli|batchdesk cancel/);
    // The engine's message stays available, folded away, with the exit code.
    expect(screen.getByTestId('start-refusal-details').textContent).toContain('the database is locked by another run (cli pid 4242 on desk-7, run batch_20261127_225800');
    expect(screen.getByTestId('start-refusal-details').textContent).toContain('since 2026-11-27 22:58:00, last heartbeat 2026-11-27 22:59:50)');
    expect(screen.getByTestId('start-refusal-details').textContent).toContain('(exit code 3)');
    // The form and its choices are still there; the refused run's dates are not pending anywhere.
    expect((screen.getByTestId('run-target-date') as HTMLInputElement).value).toBe('2026-11-02');
    expect(live.getSnapshot().plannedDates).toEqual([]);
    rerender(view(<LiveScreen />));
    expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused');
    expect(screen.getByTestId('start-refusal-message').textContent).toBe(sentence);
    fireEvent.click(screen.getByTestId('start-refusal-back'));
    expect(navigate).toHaveBeenCalledWith('run');
  });

  it('a refusal by a holder whose run the history does not know yet, or by a restore, says so without a run id', async () => {
    const statuses = [{ ...LOCKED, lockHolder: { ...HOLDER, batchRunId: null } }, { ...LOCKED, lockHolder: { ...HOLDER, kind: 'restore', runId: null, batchRunId: null } }];
    renderRun({
      planRun: () => plan(['2026-11-02']),
      startRun: () => ({ accepted: true, status: statuses.shift() }),
    });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(screen.getByTestId('start-refusal-message').textContent).toBe('The CLI (pid 4242 on desk-7) has held the database since 2026-11-27 22:58:00 for a run; Live shows that run and can ask it to stop.'));
    await answered();
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(screen.getByTestId('start-refusal-message').textContent).toBe('The CLI (pid 4242 on desk-7) has held the database since 2026-11-27 22:58:00 for a restore; start the run again once it has finished.'));
  });

  it('a plan saying the file is held disables Start with the reason, until a preview no longer says so', async () => {
    let held = true;
    renderRun({ planRun: () => plan(['2026-11-02'], held ? [HELD_WARNING] : []) });
    await previewSingleDate('2026-11-02');
    const startButton = screen.getByTestId('run-start') as HTMLButtonElement;
    expect(startButton.disabled).toBe(true);
    expect(startButton.getAttribute('aria-describedby')).toBe('run-start-held');
    expect(screen.getByTestId('run-start-held').id).toBe('run-start-held');
    expect(screen.getByTestId('run-start-held').textContent).toContain('Another process holds the database, so the plan says a run now would be refused: starting is disabled.');
    held = false;
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(startButton.disabled).toBe(false));
    expect(screen.queryByTestId('run-start-held')).toBeNull();
    expect(startButton.getAttribute('aria-describedby')).toBeNull();
  });

  it('a refusal for a held file goes once a new preview finds the file free', async () => {
    renderRun({ planRun: () => plan(['2026-11-02']), startRun: () => ({ accepted: true, status: LOCKED }) });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused'));
    await answered();
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.queryByTestId('start-outcome')).toBeNull());
  });

  it('a refusal for a held file goes once the run that held it is seen to end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Read once the store starts (the holder took the file after that look: Start is on), once the refusal is in, then every 2 s.
    const reads = [null, cliRun, cliRun, null];
    const { live } = renderRun({
      planRun: () => plan(['2026-11-02']),
      startRun: () => ({ accepted: true, status: LOCKED }),
      getOtherProcessRun: () => ({ run: reads.shift() ?? null }),
    });
    await previewSingleDate('2026-11-02', () => advance(0));
    fireEvent.click(screen.getByTestId('run-start'));
    await advance(0);
    expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused');
    // The live store watches the holder's run: still running, the refusal stays.
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.queryByTestId('start-outcome')).toBeNull();
    expect(live.getSnapshot().start).toBeNull();
  });

  it('once the run that held the file ends, the reason Start is off says to preview again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const reads = [cliRun, null];
    renderRun({ planRun: () => plan(['2026-11-02'], [HELD_WARNING]), getOtherProcessRun: () => ({ run: reads.shift() ?? null }) });
    await previewSingleDate('2026-11-02', () => advance(0));
    expect(screen.getByTestId('run-start-held').textContent).toContain('Another process holds the database');
    await advance(OTHER_RUN_POLL_MS);
    expect(screen.getByTestId('run-start-held').textContent).toBe('The run by another process that held the database has ended: preview the plan again to start.');
    expect((screen.getByTestId('run-start') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a refused resume says why without the exit code, and goes once the form changes or a new plan is made', async () => {
    renderRun({ planRun: () => plan(['2026-11-02']), startRun: () => ({ accepted: true, status: NOTHING_TO_RESUME }) });
    const resumeRefused = async () => {
      fireEvent.click(screen.getByTestId('run-resume'));
      await waitFor(() => expect(screen.getByTestId('start-outcome').getAttribute('data-state')).toBe('refused'));
      await answered();
    };
    await resumeRefused();
    expect(screen.getByTestId('start-outcome').querySelector('.state-title')?.textContent).toBe('The run did not start');
    expect(screen.getByTestId('start-refusal-message').textContent).toBe('There is no interrupted or cancelled run to resume');
    expect(screen.getByTestId('start-outcome').textContent).not.toContain('exit code');
    // A new plan of the same options: its results do not stand under the refusal.
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.getByTestId('plan-preview')).toBeTruthy());
    expect(screen.queryByTestId('start-outcome')).toBeNull();
    await resumeRefused();
    // A change of the dates' mode: the refusal is past.
    fireEvent.click(screen.getByLabelText('Date range'));
    expect(screen.queryByTestId('start-outcome')).toBeNull();
  });

  it('Resume is off, with the reason, when the history holds no cancelled or interrupted run', async () => {
    const runs = [historyRun('completed'), historyRun('failed')];
    renderRun({ listRuns: () => ({ runs }) });
    const resume = screen.getByTestId('run-resume') as HTMLButtonElement;
    await waitFor(() => expect(resume.disabled).toBe(true));
    expect(resume.getAttribute('aria-describedby')).toBe('run-resume-none');
    expect(document.getElementById('run-resume-none')?.textContent).toBe('Nothing to resume: the history holds no cancelled or interrupted run that was not resumed already.');
    cleanup();
    renderRun({ listRuns: () => ({ runs: [...runs, historyRun('cancelled')] }) });
    await waitFor(() => expect(screen.getByTestId('run-resume')).toBeTruthy());
    await act(async () => undefined);
    expect((screen.getByTestId('run-resume') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('run-resume-none')).toBeNull();
    // A stopped run that a resume continued already cannot be resumed again.
    cleanup();
    const resumer = { ...historyRun('completed'), id: 'run-resumer', mode: 'resume', options: { resumed_run_id: 'run-cancelled' } };
    renderRun({ listRuns: () => ({ runs: [resumer, ...runs, historyRun('cancelled')] }) });
    await waitFor(() => expect((screen.getByTestId('run-resume') as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByTestId('run-resume-none')).toBeTruthy();
  });

  it('Start says to preview the plan first while there is no plan of these options', async () => {
    renderRun({ planRun: () => plan(['2026-11-02']) });
    const startButton = screen.getByTestId('run-start') as HTMLButtonElement;
    expect(startButton.disabled).toBe(true);
    expect(startButton.getAttribute('aria-describedby')).toBe('run-start-preview');
    expect(document.getElementById('run-start-preview')?.textContent).toBe('Preview the plan first: Start runs the plan it shows.');
    await previewSingleDate('2026-11-02');
    expect(startButton.disabled).toBe(false);
    expect(startButton.getAttribute('aria-describedby')).toBeNull();
    expect(screen.queryByTestId('run-start-preview')).toBeNull();
    fireEvent.change(screen.getByTestId('run-target-date'), { target: { value: '2026-11-03' } });
    expect(startButton.disabled).toBe(true);
    expect(document.getElementById(startButton.getAttribute('aria-describedby') ?? '')?.textContent).toBe('The options changed since the preview: preview the plan again before starting.');
  });

  it('a run that starts opens the Live screen with its dates pending', async () => {
    const { navigate, live } = renderRun({
      planRun: () => plan(['2026-11-02']),
      startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', startedAt: LOCKED.startedAt, runId: 'run-9', batchRunId: 'batch_9', datesPlanned: 1 } }),
    });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('live'));
    expect(live.getSnapshot().start).toBeNull();
    expect(live.getSnapshot().plannedDates).toEqual(['2026-11-02']);
  });

  it("after the run it started, the form comes back with the user's choices, not Automatic", async () => {
    const growth = { id: 'p-growth', name: 'Demo Growth', accountName: 'Demo', isActive: true, deleted: false, equityBalance: null, initialEquity: null, positions: 12, firstEntryDate: '2025-06-30', latestSnapshotDate: null };
    const { transport, navigate, live, view, rerender } = renderRun({
      listPortfolios: () => ({ portfolios: [growth] }),
      planRun: () => plan(['2026-11-02']),
      startRun: () => ({ accepted: true, status: { ...IDLE, state: 'running', startedAt: LOCKED.startedAt, runId: 'run-1', batchRunId: 'batch_run-1', datesPlanned: 1 } }),
    });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Demo Growth' })).toBeTruthy());
    fireEvent.click(screen.getByLabelText('marks'));
    fireEvent.change(screen.getByLabelText('Portfolio'), { target: { value: 'p-growth' } });
    await previewSingleDate('2026-11-02');
    fireEvent.click(screen.getByTestId('run-start'));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('live'));
    // The Live screen shows the run to its end; then the user goes back to the form.
    rerender(view(<LiveScreen />));
    transport.emit({ events: [runStartEvent(1, { dates: 1 }), dateResultEvent('2026-11-02', 'success', 2), runResultEvent(3)], counts: {}, coalesced: 0 });
    await waitFor(() => expect(live.getSnapshot().phase).toBe('finished'));
    rerender(view(<RunScreen />));
    expect((screen.getByLabelText('Single date') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('run-target-date') as HTMLInputElement).value).toBe('2026-11-02');
    expect((screen.getByLabelText('marks') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('market data') as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect((screen.getByLabelText('Portfolio') as HTMLSelectElement).value).toBe('p-growth'));
  });

  it('the preview of a single date names that date, not the latest settled date as its target', async () => {
    renderRun({ planRun: () => plan(['2026-11-02']) });
    await previewSingleDate('2026-11-02');
    const text = screen.getByTestId('plan-preview').textContent ?? '';
    expect(screen.getByTestId('plan-span').textContent).toBe('2026-11-02');
    expect(text).toContain('Date 2026-11-02 (the latest settled date is 2026-11-27)');
    expect(text).not.toMatch(/Target date 2026-11-27/);
  });

  it('the plan details name the phases as the form does', async () => {
    renderRun({ planRun: () => plan(['2026-11-02']) });
    await previewSingleDate('2026-11-02');
    const cells = [...screen.getByTestId('plan-preview').querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(cells).toEqual(['2026-11-02', 'market data', '1', '-']);
    expect(screen.getByLabelText('market data')).toBeTruthy();
  });

  it("shows the engine's usage errors in the form's words", async () => {
    // A date the page cannot check (the trading calendar is the engine's; an end before the start the form says itself).
    renderRun({}, { planRun: usageError('planRun', 'targetDate', '--target-date 2026-11-21 is not a trading day; the previous trading day is 2026-11-20') });
    fireEvent.click(screen.getByLabelText('Single date'));
    fireEvent.change(screen.getByTestId('run-target-date'), { target: { value: '2026-11-21' } });
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Date 2026-11-21 is not a trading day; the previous trading day is 2026-11-20'));
  });

  it("a chunk size over the largest one says the range it takes, not the validator's text", async () => {
    const { transport } = renderRun({}, { planRun: usageError('planRun', 'chunkDays', 'Too big: expected number to be <=36500') });
    fireEvent.change(screen.getByLabelText(/Chunk size/), { target: { value: '36501' } });
    fireEvent.click(screen.getByTestId('run-preview'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Chunk size is a whole number of days from 0 to 36,500 (0 = one chunk).'));
    expect(transport.calls.filter((c) => c.name === 'planRun')).toEqual([]);
  });
});
