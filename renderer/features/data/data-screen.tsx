/**
 * Data: the database and its row counts; backups (list, make one, restore one; a backup file
 * whose manifest was deleted is listed too, with its file time and size, and restored after the
 * integrity check restore makes of every backup; the partial copies of backups stopped while
 * writing them are listed apart, as not restorable, with what removes them); the one-click "back up, then purge" with row
 * counts before and after (SPEC.md j.1-j.4); a restore and a purge show their steps as they
 * happen and the time since the click in a blocking dialog (step-progress.tsx); and the import
 * of a PostgreSQL dump (browser mode uploads the file, the desktop app takes a path from a file
 * dialog; SPEC.md m.19) with its progress and report. The purge's and a restore's
 * confirmations take the focus, close on Escape and give it back (ui/use-confirmation.ts); a
 * manual backup's outcome takes the focus when it comes ("Back up now", disabled while it runs,
 * has lost it).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { backupCheckText } from '../../../core/api/backup-check-text';
import { removedLeftoversText } from '../../../core/api/restore-words';
import type { CommandOutput } from '../../../core/api/contract';
import { useClient, useLive, useServices } from '../../app-context';
import { fmtBytes, fmtDuration, fmtInt, fmtTimestamp, withAppTimes } from '../../ui/format';
import { logText } from '../telemetry/log-words';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useConfirmation } from '../../ui/use-confirmation';
import { elapsedText, StepDialog, useStepProgress } from './step-progress';

type PurgeResult = CommandOutput<'purgeDerived'>;

/** The purge form's words for the purge input, for the engine's messages. */
const PURGE_LABELS = { from: 'the From date', to: 'the To date' };

/**
 * The tables the screen lists: the database's own, as getDatabaseInfo lists them. The purge's
 * counts also hold the migration journal (`__drizzle_migrations`), which is bookkeeping of the
 * schema, not data, and is never purged.
 */
const dataTables = (counts: Record<string, number>): string[] => Object.keys(counts).filter((t) => !t.startsWith('__'));

/** A purge range in words, dates as the date fields show them: "every date", "2025-07-01 to 2025-09-30". */
/** The lock's holder in words: "the CLI's seed-demo (pid 4242 on laptop, since 2026-11-27 23:00:00)". */
function lockWords(lock: NonNullable<CommandOutput<'getDatabaseInfo'>['lock']>): string {
  const who = lock.holder === 'cli' ? "the CLI's" : lock.holder === 'app' ? "the app's" : "serve's";
  return `${who} ${lock.what} (pid ${lock.pid} on ${lock.host}, since ${fmtTimestamp(lock.acquiredAt)})`;
}

function rangeText(start: string | null, end: string | null): string {
  if (start && end) return start === end ? start : `${start} to ${end}`;
  if (start) return `every date from ${start} on`;
  if (end) return `every date up to ${end}`;
  return 'every date';
}

/**
 * How the purged rows are rebuilt, as `batchdesk purge` advises it: a purge that took over a killed
 * rebuild's lock closed the gate, which refuses a run, so the advice is then that rebuild's ways out.
 */
function rebuildAdvice(r: PurgeResult): string | null {
  if (r.gateClosedWaysOut) return `To rebuild: a run is refused at the regression gate the lock takeover above closed; for the interrupted rebuild, ${r.gateClosedWaysOut}.`;
  if (!r.rebuild) return null;
  return r.rebuild.automatic
    ? `To rebuild: run without dates; the automatic range starts again at ${r.rebuild.startDate}.`
    : `To rebuild: run from ${r.rebuild.startDate} to the latest date. Later snapshots remain, so a run without dates would resume after them and skip the purged dates.`;
}

/** A table whose rows the purge deleted is highlighted; one that grew meanwhile (maintenance_log records the purge) is not. */
function CountsTable({ before, after, deleted }: { before: Record<string, number>; after: Record<string, number>; deleted: Record<string, number> }) {
  const tables = dataTables({ ...before, ...after }).sort();
  return (
    <table className="simple" data-testid="purge-counts">
      <thead>
        <tr>
          <th>Table</th>
          <th className="num">Before</th>
          <th className="num">After</th>
          <th className="num">Deleted</th>
        </tr>
      </thead>
      <tbody>
        {tables.map((t) => {
          const removed = deleted[t] ?? 0;
          return (
            <tr key={t} className={removed > 0 ? 'changed' : undefined} data-testid={`purge-row-${t}`}>
              <td>{t}</td>
              <td className="num">{fmtInt(before[t] ?? 0)}</td>
              <td className="num">{fmtInt(after[t] ?? 0)}</td>
              <td className="num">{fmtInt(removed)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Whether a panel's action ran last on the screen (only its outcome is shown), and the call that says it starts one. */
interface ActionTurn {
  readonly current: boolean;
  readonly onAction: () => void;
}

function PurgePanel({ onDone, current, onAction }: { onDone: () => void } & ActionTurn) {
  const client = useClient();
  const live = useLive();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PurgeResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const purging = useStepProgress(client, 'purge');
  // The focus comes back once the progress dialog, which holds it while the purge runs, is gone.
  const confirm = useConfirmation(busy || purging.progress !== null);
  const confirming = confirm.asking !== null;
  const running = live.phase === 'running';
  // A reversed range is the form's to fix, before anything is asked or backed up.
  const problem = from && to && to < from ? `The To date ${to} is before the From date ${from}.` : null;
  const scope = rangeText(from || null, to || null);
  const advice = result ? rebuildAdvice(result) : null;
  const run = async () => {
    onAction();
    setBusy(true);
    setError(null);
    setResult(null);
    purging.start();
    try {
      const r = await client.call('purgeDerived', { ...(from ? { from } : {}), ...(to ? { to } : {}), backup: true });
      purging.finish(true);
      setResult(r);
      onDone();
    } catch (err) {
      purging.finish(false);
      setError(err);
    } finally {
      setBusy(false);
      confirm.close();
    }
  };
  return (
    <section ref={confirm.fallbackRef} tabIndex={-1} aria-labelledby="purge-title" className="panel">
      <h2 id="purge-title">Back up, then purge</h2>
      <p>Makes a verified backup, then deletes the derived rows (marks, snapshots, analytics, missing prices, tracking) so a backfill can rebuild them. Raw data is never purged.</p>
      {/* The dates are fixed while the confirmation asks about them. */}
      <div className="row">
        <label>
          From (optional)
          <input type="date" value={from} disabled={confirming} onChange={(e) => setFrom(e.target.value)} data-testid="purge-from" />
        </label>
        <label>
          To (optional)
          <input
            type="date"
            value={to}
            disabled={confirming}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'purge-problem' : undefined}
            data-testid="purge-to"
          />
        </label>
      </div>
      {problem ? (
        <p className="note bad" id="purge-problem" role="alert" data-testid="purge-problem">
          {problem}
        </p>
      ) : null}
      {!confirming ? (
        <button
          ref={confirm.triggerRef(true)}
          type="button"
          className="danger"
          disabled={busy || running || problem !== null}
          onClick={() => confirm.ask(true)}
          data-testid="purge-start"
        >
          Back up, then purge {from || to ? scope : 'all derived rows'}
        </button>
      ) : (
        <div className="confirm" role="alertdialog" aria-labelledby="purge-confirm-text" onKeyDown={confirm.onKeyDown}>
          <p id="purge-confirm-text" data-testid="purge-confirm-text">
            This deletes the derived rows of {scope}. A backup is made first, and the purge only runs if it is verified. Continue?
          </p>
          <button ref={confirm.firstRef} type="button" className="danger" disabled={busy} onClick={run} data-testid="purge-confirm">
            {busy ? 'Backing up and purging...' : 'Yes, back up and purge'}
          </button>
          <button type="button" disabled={busy} onClick={confirm.close}>
            No
          </button>
        </div>
      )}
      {purging.progress ? (
        <StepDialog progress={purging.progress} now={purging.now}>
          <p>The derived rows of {scope} are deleted after a verified backup. You can use the app again when it is done.</p>
        </StepDialog>
      ) : null}
      {running ? <p className="note">A run is in progress: purge waits until it ends.</p> : null}
      {current && error ? <ErrorState error={error} labels={PURGE_LABELS} /> : null}
      {current && result ? (
        <div data-testid="purge-result">
          <p role="status">
            Backup <code>{result.backupFile ?? 'none'}</code>. Purged {rangeText(result.range.start, result.range.end)}: {fmtInt(Object.values(result.deleted).reduce((a, b) => a + b, 0))} rows deleted (
            {fmtInt(result.trackingDeleted)} of them tracking rows), {fmtInt(result.positionsReset)} positions reset.
          </p>
          {result.warnings.length > 0 ? (
            <p className="note" data-testid="purge-warnings">
              {result.warnings.map((w) => `Warning: ${w}.`).join(' ')}
            </p>
          ) : null}
          {advice ? <p data-testid="purge-rebuild">{advice}</p> : null}
          <CountsTable before={result.countsBefore} after={result.countsAfter} deleted={result.deleted} />
        </div>
      ) : null}
    </section>
  );
}

type ListedBackup = CommandOutput<'listBackups'>['backups'][number];
type IncompleteBackup = CommandOutput<'listBackups'>['incomplete'][number];

/** The partial copies stopped backups left (j.1): no restore, only what they are and what removes them. */
function IncompleteBackups({ incomplete }: { incomplete: readonly IncompleteBackup[] }) {
  if (incomplete.length === 0) return null;
  return (
    <>
      <h3 id="incomplete-backups-title">Incomplete backups</h3>
      <p className="note">Partial copies of backups stopped while writing them (killed, crashed, the machine went down). They cannot be restored.</p>
      <div className="table-scroll" role="group" aria-labelledby="incomplete-backups-title" tabIndex={0}>
        <table className="simple" data-testid="incomplete-backups-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Last written</th>
              <th className="num">Age</th>
              <th className="num">Size</th>
              <th>Removal</th>
            </tr>
          </thead>
          <tbody>
            {incomplete.map((p) => (
              <tr key={p.file}>
                <td>
                  <code>{p.file.split(/[\\/]/).pop()}</code>
                </td>
                <td>{fmtTimestamp(p.lastWrittenAt)}</td>
                <td className="num">{fmtDuration(p.ageMs)}</td>
                <td className="num">{fmtBytes(p.bytes)}</td>
                <td>{p.removal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A backup whose latest check failed (a corrupt or altered file): restoring it would be refused. */
const failedCheck = (b: ListedBackup): boolean => b.lastVerification?.ok === false;

/** A backup's result in words: the file, what retention deleted, the leftovers it removed, and its warnings (as `batchdesk backup` prints them). */
function backupMessage(r: CommandOutput<'createBackup'>): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    `Backup ${r.file} (${fmtBytes(r.bytes)}) verified${r.rowCountsVerified ? '' : ': a mid-run image, row counts not compared'}.`,
    ...(r.deleted.length ? [`Retention deleted ${plural(r.deleted.length, 'older backup')}: ${r.deleted.join(', ')}.`] : []),
    ...(r.removedIncomplete.length ? [`Removed ${plural(r.removedIncomplete.length, 'incomplete backup')} that stopped backups had left: ${r.removedIncomplete.join(', ')}.`] : []),
    ...r.warnings.map((w) => `Warning: ${w}.`),
  ].join(' ');
}

/**
 * A refused backup or restore in the engine's words: the message says what is wrong with the
 * file or why the operation cannot run now, so it stands alone, without the error's code (its
 * timestamps, a lock holder's, as the app shows times).
 */
function refusalText(err: unknown): string {
  const text = withAppTimes(err instanceof Error ? err.message : String(err));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function BackupsPanel({ refresh, onChanged, current, onAction }: { refresh: number; onChanged: () => void } & ActionTurn) {
  const client = useClient();
  const backups = useAsync(() => client.call('listBackups', {}), [client, refresh]);
  const [busy, setBusy] = useState<string | null>(null);
  // The outcome of the last backup or restore: a success is a status, a refusal an alert.
  const [message, setMessage] = useState<{ text: string; failed: boolean; of: 'backup' | 'restore' } | null>(null);
  // A backup's outcome takes the focus, which its button lost while disabled; a restore's
  // confirmation gives the focus back to its Restore... instead (useConfirmation).
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message?.of === 'backup') messageRef.current?.focus();
  }, [message]);
  // The backup the restore dialog is about (it stays a moment after the restore).
  const [restoringFile, setRestoringFile] = useState<string | null>(null);
  const restoring = useStepProgress(client, 'restore');
  // The backup whose restore is asked to confirm; the focus comes back once the restore dialog is gone.
  const confirm = useConfirmation<string>(busy !== null || restoring.progress !== null);
  const backup = async () => {
    onAction();
    setMessage(null);
    setBusy('backup');
    try {
      const r = await client.call('createBackup', { reason: 'manual' });
      setMessage({ text: backupMessage(r), failed: false, of: 'backup' });
      onChanged();
    } catch (err) {
      setMessage({ text: refusalText(err), failed: true, of: 'backup' });
    } finally {
      setBusy(null);
    }
  };
  const restore = async (file: string) => {
    onAction();
    setMessage(null);
    setBusy('restore');
    setRestoringFile(file);
    restoring.start();
    try {
      const r = await client.call('restoreBackup', { file, safetyBackup: true });
      // The time the dialog ends on.
      const took = restoring.finish(true);
      const leftovers = r.removedLeftovers.length ? ` Before the copy it ${removedLeftoversText(r.removedLeftovers)}.` : '';
      setMessage({ text: `Restored ${r.restoredFrom} in ${elapsedText(took)}; the previous state is kept in ${r.safetyBackup ?? 'no safety backup'}.${leftovers}`, failed: false, of: 'restore' });
      onChanged();
    } catch (err) {
      restoring.finish(false);
      setMessage({ text: refusalText(err), failed: true, of: 'restore' });
      // A backup that failed its check now carries that verdict: show it in the list.
      onChanged();
    } finally {
      setBusy(null);
      confirm.close();
    }
  };
  return (
    <section ref={confirm.fallbackRef} tabIndex={-1} aria-labelledby="backups-title" className="panel">
      <h2 id="backups-title">Backups</h2>
      <button type="button" onClick={backup} disabled={busy !== null} data-testid="backup-now">
        {busy === 'backup' ? 'Backing up...' : 'Back up now'}
      </button>
      {restoring.progress && restoringFile ? (
        <StepDialog progress={restoring.progress} now={restoring.now}>
          <p>
            <code>{restoringFile.split(/[\\/]/).pop()}</code> replaces the database. You can use the app again when it is done.
          </p>
        </StepDialog>
      ) : null}
      {current && message ? (
        <p ref={messageRef} tabIndex={-1} className={message.failed ? 'note bad' : 'note'} role={message.failed ? 'alert' : 'status'} data-testid="backup-message">
          {message.text}
        </p>
      ) : null}
      {backups.error ? <ErrorState error={backups.error} onRetry={backups.reload} /> : null}
      {backups.loading && !backups.data ? <LoadingState /> : null}
      {backups.data ? (
        backups.data.backups.length === 0 ? (
          <EmptyState title="No backups yet">Backups go to {backups.data.dir}.</EmptyState>
        ) : (
          <>
            {/* A name's time is the start, the manifest's the end: the two differ by the backup's duration. */}
            <p className="note" data-testid="backups-times">
              The time in a backup&apos;s file name is when it started; Finished is when it was verified and complete.
            </p>
            {/* Wider than a narrow window leaves it (the file names): it scrolls sideways in its own box, never the page. */}
            <div className="table-scroll" role="group" aria-labelledby="backups-title" tabIndex={0}>
              <table className="simple" data-testid="backups-table">
                <thead>
                  <tr>
                    <th>File</th>
                    <th>Finished</th>
                    <th>Reason</th>
                    <th className="num">Size</th>
                    <th>Verified</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {backups.data.backups.map((b) => (
                    <tr key={b.file}>
                      <td>
                        <code>{b.file.split(/[\\/]/).pop()}</code>
                      </td>
                      <td>{b.hasManifest ? fmtTimestamp(b.madeAt) : <span title="No manifest says when it finished: this is the time in its name.">started {fmtTimestamp(b.madeAt)}</span>}</td>
                      <td>{b.reason}</td>
                      <td className="num">{fmtBytes(b.bytes)}</td>
                      <td className={failedCheck(b) ? 'error-text' : undefined}>{backupCheckText(b, fmtTimestamp)}</td>
                      <td>
                        {confirm.asking === b.file ? (
                          <span role="alertdialog" aria-label="Confirm restore" onKeyDown={confirm.onKeyDown}>
                            Replace the database with this backup (a safety backup is made first)?{' '}
                            <button ref={confirm.firstRef} type="button" className="danger" disabled={busy !== null} onClick={() => restore(b.file)}>
                              Restore
                            </button>{' '}
                            <button type="button" disabled={busy !== null} onClick={confirm.close}>
                              No
                            </button>
                          </span>
                        ) : (
                          <button
                            ref={confirm.triggerRef(b.file)}
                            type="button"
                            disabled={busy !== null || failedCheck(b)}
                            title={failedCheck(b) ? 'This backup failed its latest check: restoring it would be refused.' : undefined}
                            onClick={() => confirm.ask(b.file)}
                          >
                            Restore...
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      ) : null}
      {backups.data ? <IncompleteBackups incomplete={backups.data.incomplete} /> : null}
    </section>
  );
}

type ImportResult = CommandOutput<'importDump'>;

function ImportPanel({ onDone, current, onAction }: { onDone: () => void } & ActionTurn) {
  const client = useClient();
  const live = useLive();
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState<string | null>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [progress, setProgress] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const transport = client.transport;
  const importLines = useMemo(() => live.log.filter((l) => l.origin.event === 'metric' && l.origin.payload.name === 'import_progress').slice(-5), [live.log]);
  const start = async (dryRun: boolean) => {
    onAction();
    setError(null);
    setResult(null);
    try {
      let target = path;
      if (!target && file && transport.uploadDump) {
        setProgress('Uploading...');
        const up = await transport.uploadDump(file, (sent, total) => setProgress(`Uploading ${fmtBytes(sent)} of ${fmtBytes(total)}...`));
        target = up.path;
        setPath(up.path);
      }
      if (!target) return;
      setProgress(dryRun ? 'Planning the import...' : mode === 'replace' ? 'Backing up, then importing...' : 'Importing...');
      setResult(await client.call('importDump', { path: target, mode, dryRun }));
      setProgress(null);
      if (!dryRun) onDone();
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  };
  return (
    <section aria-labelledby="import-title" className="panel">
      <h2 id="import-title">Import a PostgreSQL dump</h2>
      <div className="row">
        {transport.chooseDumpFile ? (
          <button type="button" onClick={async () => setPath(await transport.chooseDumpFile!())}>
            Choose a dump file...
          </button>
        ) : (
          <label>
            Dump file (plain SQL, custom, directory as .tar, or tar)
            <input
              type="file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPath(null);
              }}
              data-testid="import-file"
            />
          </label>
        )}
        <label>
          Into this database
          <select value={mode} onChange={(e) => setMode(e.target.value as 'merge' | 'replace')}>
            <option value="merge">merge (one transaction)</option>
            <option value="replace">replace (after a verified backup)</option>
          </select>
        </label>
      </div>
      {path ? <p className="muted">{path}</p> : null}
      <div className="actions">
        <button type="button" disabled={(!file && !path) || progress !== null} onClick={() => start(true)}>
          Preview (dry run)
        </button>
        <button type="button" className="primary" disabled={(!file && !path) || progress !== null} onClick={() => start(false)}>
          Import
        </button>
      </div>
      {progress ? (
        <p role="status" aria-live="polite">
          {progress}
        </p>
      ) : null}
      {importLines.length > 0 && progress ? (
        <ul className="muted">
          {importLines.map((l) => (
            <li key={l.key}>{logText(l.origin)}</li>
          ))}
        </ul>
      ) : null}
      {current && error ? <ErrorState error={error} /> : null}
      {current && result ? (
        <div data-testid="import-result">
          <p role="status">
            {result.dryRun ? 'Plan for' : 'Imported into'} <code>{result.database}</code>
            {result.backupFile ? (
              <>
                {' '}
                (backup first: <code>{result.backupFile}</code>)
              </>
            ) : null}
            .
          </p>
          <pre className="json">{result.text}</pre>
          <details>
            <summary>{result.dryRun ? 'Plan' : 'Report'} as JSON</summary>
            <pre className="json">{JSON.stringify(result.dryRun ? result.plan : result.report, null, 2)}</pre>
          </details>
        </div>
      ) : null}
    </section>
  );
}

export function DataScreen() {
  const { client, live } = useServices();
  const [refresh, setRefresh] = useState(0);
  const info = useAsync(() => client.call('getDatabaseInfo', {}), [client, refresh]);
  // The database changed: this screen re-reads it, and the Live grid its tracking rows (a
  // purged date has none, so it leaves the grid). A failed re-read leaves the grid as it was.
  const bump = () => {
    setRefresh((r) => r + 1);
    void live.refreshTracking().catch(() => undefined);
  };
  // The panel whose action ran last: only its outcome is shown, so an older one (a manual
  // backup's "verified") never stands next to a later action's as if it were the latest.
  const [lastAction, setLastAction] = useState<'purge' | 'backups' | 'import' | null>(null);
  const turn = (panel: 'purge' | 'backups' | 'import'): ActionTurn => ({ current: lastAction === panel, onAction: () => setLastAction(panel) });
  const counts = info.data?.rowCounts ?? {};
  const tables = dataTables(counts);
  return (
    <section aria-labelledby="data-title" data-testid="screen-data">
      <h1 id="data-title" tabIndex={-1}>
        Data
      </h1>
      {info.error ? <ErrorState error={info.error} onRetry={info.reload} /> : null}
      {info.data ? (
        <section className="panel" aria-labelledby="db-title">
          <h2 id="db-title">Database</h2>
          <p>
            <code>{info.data.path}</code>, {fmtBytes(info.data.sizeBytes)}, latest complete date {info.data.latestCompleteDate ?? 'none'}
            {info.data.lock ? `, locked by ${lockWords(info.data.lock)}` : ''}.
          </p>
          <details>
            <summary>Row counts ({tables.length} tables)</summary>
            <table className="simple" data-testid="row-counts">
              <tbody>
                {tables.map((t) => (
                  <tr key={t}>
                    <td>{t}</td>
                    <td className="num">{fmtInt(counts[t])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
      ) : null}
      <PurgePanel onDone={bump} {...turn('purge')} />
      <BackupsPanel refresh={refresh} onChanged={bump} {...turn('backups')} />
      <ImportPanel onDone={bump} {...turn('import')} />
    </section>
  );
}
