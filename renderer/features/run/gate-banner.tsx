/**
 * The red banner of a closed regression gate (SPEC.md i.4): since when, how many findings on
 * which dates, the first few in words, and how to reopen it. The app has no control that runs
 * the guard or reopens the gate, so the banner gives the exact CLI commands, with the --db of
 * the database the app has open.
 */
import type { Gate } from '../../../core/api/commands/diagnostics-commands';
import { shellWord } from '../../../core/api/shell-word';
import { fmtTimestamp } from '../../ui/format';
import { useDatabasePath, useGate } from './use-gate';

/** How many findings the banner words; the count says how many more there are. */
const SHOWN_FINDINGS = 5;

/** A text field of a finding (the guard's findings are JSON records), else null. */
function field(f: Readonly<Record<string, unknown>>, key: string): string | null {
  const v = f[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** One finding in words: "2025-10-08, Growth, check G2: <message>" (the parts it has). */
function findingText(f: Readonly<Record<string, unknown>>): string {
  const where = [field(f, 'date'), field(f, 'portfolio_name') ?? field(f, 'portfolio_id'), field(f, 'check') ? `check ${field(f, 'check')}` : null].filter((p) => p !== null);
  const what = field(f, 'message') ?? [field(f, 'expected') ? `expected ${field(f, 'expected')}` : null, field(f, 'actual') ? `actual ${field(f, 'actual')}` : null].filter((p) => p !== null).join(', ');
  return where.length ? `${where.join(', ')}: ${what || 'failed'}` : what || 'a finding without details';
}

/** The failed dates of a closed gate, sorted: those it records, else its findings'. */
function failedDates(gate: Gate): string[] {
  const recorded = gate.dates ?? (gate.findings ?? []).map((f) => field(f, 'date')).filter((d): d is string => d !== null);
  return [...new Set(recorded)].sort();
}

/**
 * The commands that reopen a closed gate, on the database at `dbPath`: the guard over the
 * failed dates (it reopens the gate once it passes), and an explicit reopen with a reason.
 */
function reopenCommands(gate: Gate, dbPath: string): { guard: string; reopen: string } {
  const dates = failedDates(gate);
  const range = dates.length ? ` --start-date ${dates[0]} --end-date ${dates[dates.length - 1]}` : '';
  const db = ` --db ${shellWord(dbPath)}`;
  return { guard: `batchdesk verify guard${range}${db}`, reopen: `batchdesk verify guard --reopen --reason TEXT${db}` };
}

export function GateBanner() {
  const gate = useGate();
  const closed = gate?.state === 'closed';
  const dbPath = useDatabasePath(closed);
  if (!gate || !closed) return null;
  const findings = gate.findings ?? [];
  const dates = failedDates(gate);
  const more = findings.length - SHOWN_FINDINGS;
  const commands = dbPath ? reopenCommands(gate, dbPath) : null;
  return (
    <div className="gate-banner" role="alert" data-testid="gate-banner">
      <p>
        <strong>Regression gate closed</strong> since {gate.since ? fmtTimestamp(gate.since) : 'an earlier run'}: {findings.length} finding{findings.length === 1 ? '' : 's'}
        {dates.length ? ` on ${dates.length === 1 ? dates[0] : `${dates.length} dates from ${dates[0]} to ${dates[dates.length - 1]}`}` : ''}
        {gate.reason ? ` (${gate.reason})` : ''}. Starting a run is disabled until the guard passes over the failed dates or the gate is reopened with a reason.
      </p>
      {findings.length > 0 ? (
        <ul data-testid="gate-findings">
          {findings.slice(0, SHOWN_FINDINGS).map((f, i) => (
            <li key={i}>{findingText(f)}</li>
          ))}
          {more > 0 ? <li>... and {more} more.</li> : null}
        </ul>
      ) : null}
      {commands ? (
        <p data-testid="gate-reopen">
          The app cannot reopen the gate. Fix the data, then run <code>{commands.guard}</code>, which reopens the gate once it passes over the failed dates; or reopen it
          without that check with <code>{commands.reopen}</code> (the reason is recorded).
        </p>
      ) : null}
    </div>
  );
}
