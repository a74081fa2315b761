/**
 * The single-date debug command: runs monitor-only with `trace` into a temporary folder
 * through the host's run manager (so it takes the lock and shows on the live view like any
 * run), waits for it, reads the trace documents back and removes the folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { TraceDocument } from '../../core/api/commands/debug-commands';
import { BatchdeskError, ERROR_CODES, type ErrorCode } from '../../core/api/errors';
import { runOptionsSchema } from '../../core/api/run-options';
import type { MonitorReport } from '../../core/engine/monitor-recorder';
import { isMoneyColumn } from '../../core/validation/canonical-form';
import type { HandlerMap } from '../handler-types';
import { withStatusLockAdvice } from './app-advice';

/** Trace documents returned at most (bytes of JSON); the rest are counted as omitted. */
export const TRACE_LIMIT_BYTES = 32 * 1024 * 1024;

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJson(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

/** Reads DIR/DATE/(PORTFOLIO|date)/PHASE.json documents, summaries first, within the size limit. */
export function readTraceDocuments(dir: string, limit = TRACE_LIMIT_BYTES): { documents: TraceDocument[]; omitted: number } {
  const files = listJson(dir).sort((a, b) => Number(!a.endsWith('summary.json')) - Number(!b.endsWith('summary.json')) || (a < b ? -1 : 1));
  const documents: TraceDocument[] = [];
  let used = 0;
  let omitted = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (used + text.length > limit) {
      omitted++;
      continue;
    }
    used += text.length;
    const rel = relative(dir, f).split(sep).join('/');
    const parts = rel.split('/');
    const phase = parts[parts.length - 1]!.replace(/\.json$/, '');
    const scope = parts.length >= 3 ? parts[parts.length - 2]! : null;
    documents.push({ file: rel, date: parts.length >= 2 ? parts[0]! : null, portfolioId: scope && scope !== 'date' ? scope : null, phase, document: JSON.parse(text) as unknown });
  }
  return { documents, omitted };
}

/**
 * A trace document with `money_columns`: the columns of its differences' largest absolute
 * differences that are money (compared in cents, g.12; the rest are ratios, compared to 1e-6),
 * so the app can print each at its own precision without knowing the column classes.
 */
export function withMoneyColumns(doc: TraceDocument): TraceDocument {
  const d = doc.document;
  if (!d || typeof d !== 'object' || !Array.isArray((d as { differences?: unknown }).differences)) return doc;
  const columns = new Set<string>();
  for (const t of (d as { differences: unknown[] }).differences) {
    const max = (t as { maxAbsDiff?: unknown } | null)?.maxAbsDiff;
    if (max && typeof max === 'object') for (const c of Object.keys(max)) if (isMoneyColumn(c)) columns.add(c);
  }
  return { ...doc, document: { ...d, money_columns: [...columns].sort() } };
}

/** The parts of the run summary (SPEC.md h.5) that say why a run failed. */
const failureSummarySchema = z
  .object({
    results: z.array(z.object({ date: z.string(), errors: z.array(z.string()) }).loose()),
    errors: z.array(z.string()),
  })
  .loose();

/**
 * Why a run failed, from its summary: each date's failed phases with their reasons (the lines
 * the CLI prints, blocked portfolio-dates included, which the run-level list leaves out), then
 * the run's own errors that no date carries (a fatal error).
 */
export function runFailures(summary: unknown): string[] {
  const s = failureSummarySchema.safeParse(summary);
  if (!s.success) return [];
  const lines = s.data.results.flatMap((r) => r.errors.map((e) => `${r.date} ${e}`));
  return [...lines, ...s.data.errors.filter((e) => !lines.includes(e))];
}

/** The summary of a run manager's status when the engine planned nothing (no run recorded). */
const noRunSummarySchema = z.object({ message: z.string() }).strict();

/** The planner's lead for a request on whose dates no portfolio is processed (core/engine/planner.ts). */
const NOTHING_TO_RUN_LEAD = /^Nothing to run:\s*/;

/**
 * Why a completed request ran nothing: the engine's message without its "Nothing to run:" lead
 * (the CLI prints the whole message), e.g. "no portfolio in scope is processed on the requested
 * dates (portfolio-dates left out: 5 before first entry)". Null for a run.
 */
export function nothingToRunReason(state: string, summary: unknown): string | null {
  if (state !== 'completed') return null;
  const s = noRunSummarySchema.safeParse(summary);
  return s.success ? s.data.message.replace(NOTHING_TO_RUN_LEAD, '') : null;
}

export const debugHandlers: HandlerMap<'debugDate'> = {
  async debugDate(input, ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'batchdesk-trace-'));
    try {
      const options = runOptionsSchema.parse({
        targetDate: input.date,
        portfolios: input.portfolios,
        phases: input.phases,
        withPrerequisites: input.withPrerequisites,
        impliedVol: input.impliedVol,
        riskFreeRate: input.riskFreeRate,
        monitorOnly: true,
        trace: dir,
        guard: false,
        triggeredBy: ctx.triggeredBy,
      });
      ctx.runs.start(options);
      await ctx.runs.settled();
      const status = withStatusLockAdvice(ctx.runs.status(), ctx);
      // A run that could not start or broke (locked, bad options, I/O) is the command's error;
      // differences found (exit code 4) are its result.
      if (status.error) {
        const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(status.error.code) ? (status.error.code as ErrorCode) : 'internal';
        throw new BatchdeskError(code, status.error.message);
      }
      const { documents, omitted } = readTraceDocuments(dir);
      const summary = status.summary as { monitor?: MonitorReport; batch_run_id?: string } | null;
      const failures = status.state === 'completed' ? [] : runFailures(status.summary);
      return {
        state: status.state,
        exitCode: status.exitCode,
        batchRunId: status.batchRunId ?? summary?.batch_run_id ?? null,
        nothingToRun: nothingToRunReason(status.state, status.summary),
        monitor: summary?.monitor ?? null,
        failures,
        documents: documents.map(withMoneyColumns),
        omitted,
        error: status.error,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
