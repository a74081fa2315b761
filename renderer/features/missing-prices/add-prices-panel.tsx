/**
 * "Add prices from CSV" (SPEC.md e.8): closes from a `symbol,date,close[,volume]` file go into
 * the price cache through the engine's importPrices, all or nothing (a bad row refuses the file
 * unless "skip bad rows"), exactly as `batchdesk prices import FILE`. The import marks stale the
 * processed dates that read a close it changed (a filled missing price re-runs that date's
 * market data), and the panel then offers the retry of those dates: the Run screen opens on
 * them with "retry failed phases only", where the plan is shown before anything starts. The
 * outcome (the result, or the refusal) takes the focus when it comes: the Import button, off
 * while the import runs, has lost it. Another file or skip choice clears it.
 */
import { useEffect, useRef, useState } from 'react';
import { MAX_PRICES_CSV_CHARS } from '../../../core/api/commands/import-commands';
import type { CommandOutput } from '../../../core/api/contract';
import { importedJumpText } from '../../../core/api/metric-text';
import { useClient } from '../../app-context';
import { EngineError } from '../../engine-client/engine-error';
import { useNavigation } from '../../navigation';
import { fmtInt } from '../../ui/format';
import { ErrorState } from '../../ui/states';

type PricesImport = CommandOutput<'importPrices'>;

const plural = (n: number, one: string, many = `${one}s`) => `${fmtInt(n)} ${n === 1 ? one : many}`;

/** The import's warnings, as `prices import` prints them: the jumps, the unneeded symbols, then what taking over a killed rebuild's lock did. */
function warningsOf(r: PricesImport): string[] {
  return [
    ...r.jumps.map((j) => `${importedJumpText(j)}.`),
    ...(r.unneededSymbols.length ? [`${plural(r.unneededSymbols.length, 'imported symbol')} no portfolio or factor needs: ${r.unneededSymbols.join(', ')} (imported anyway; check for a typo).`] : []),
    ...r.warnings.map((w) => `${w}.`),
  ];
}

export function AddPricesPanel({ onImported }: { onImported: () => void }) {
  const client = useClient();
  const { navigate } = useNavigation();
  const [file, setFile] = useState<File | null>(null);
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PricesImport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result || error) outcome.current?.focus();
  }, [result, error]);
  const tooLarge = file !== null && file.size > MAX_PRICES_CSV_CHARS;
  // The outcome shown is of the file and choice it was made with.
  const clearOutcome = () => {
    setResult(null);
    setError(null);
  };
  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await client.call('importPrices', { text: await file.text(), fileName: file.name, skipBadRows });
      setResult(r);
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const warnings = result ? warningsOf(result) : [];
  return (
    <section aria-labelledby="add-prices-title" className="panel" data-testid="add-prices">
      <h2 id="add-prices-title">Add prices from CSV</h2>
      <p className="muted">
        A file with the header <code>symbol,date,close</code> (and optionally <code>volume</code>). All or nothing: a bad row refuses the file unless you skip bad rows. Closes that
        change what a processed date read make that date stale, to retry.
      </p>
      <div className="row">
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              clearOutcome();
            }}
            data-testid="add-prices-file"
          />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={skipBadRows}
            onChange={(e) => {
              setSkipBadRows(e.target.checked);
              clearOutcome();
            }}
            data-testid="add-prices-skip"
          />
          skip bad rows (each is listed)
        </label>
      </div>
      {tooLarge ? (
        <p className="note bad" role="alert">
          {file.name} is larger than {MAX_PRICES_CSV_CHARS / 1_000_000} MB: import it with <code>batchdesk prices import FILE</code>.
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="primary" disabled={!file || tooLarge || busy} onClick={start} data-testid="add-prices-import">
          {busy ? 'Importing...' : 'Import'}
        </button>
      </div>
      {/* The engine refused the file (all or nothing: none of it went in), or the result. */}
      <div ref={outcome} tabIndex={-1} data-testid="add-prices-outcome">
        {error ? <ErrorState error={error} title={error instanceof EngineError ? 'Nothing was imported' : undefined} /> : null}
        {result ? (
          <div data-testid="add-prices-result">
            <p role="status">
              {result.file}: {plural(result.rows, 'row')} ({plural(result.symbols, 'symbol')}). Added {fmtInt(result.inserted)}, replaced {fmtInt(result.updated)}, unchanged{' '}
              {fmtInt(result.unchanged)}, kept stored {fmtInt(result.keptStored)}.
            </p>
            {warnings.length > 0 ? (
              <ul className="note" aria-label="Warnings" data-testid="add-prices-warnings">
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            {result.skipped.length > 0 ? (
              <details>
                <summary>Skipped {plural(result.skipped.length, 'bad row')}</summary>
                <ul>
                  {result.skipped.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              </details>
            ) : null}
            {result.stale.dates > 0 && result.stale.first && result.stale.last ? (
              <p className="note" data-testid="add-prices-stale">
                {plural(result.stale.dates, 'processed date')} {result.stale.first === result.stale.last ? `on ${result.stale.first}` : `from ${result.stale.first} to ${result.stale.last}`} read closes this import changed.{' '}
                <button type="button" onClick={() => navigate('run', { startDate: result.stale.first!, endDate: result.stale.last!, retry: '1' })} data-testid="add-prices-retry">
                  Retry {result.stale.dates === 1 ? 'this date' : 'these dates'}...
                </button>
              </p>
            ) : (
              <p className="muted">No processed date read a close this import changed; nothing to retry.</p>
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}
