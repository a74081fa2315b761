/**
 * The machinery of the bad-input catalogue (issue 9; SPEC.md k.3, m.16, m.19, m.22): how a case
 * reaches each surface and what it returns, as one shape: the exit code of k.3 and the text a
 * user reads. The CLI runs in process (`main`), the contract through host/dispatcher.ts (a
 * background run's outcome is read from its final status), HTTP through a real
 * `batchdesk serve` process (the error code of the body mapped with exitCodeFor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { exitCodeFor, type ErrorShape } from '../../core/api/errors';
import { formatTimestamp } from '../../core/domain/timestamp';
import { dispatch } from '../../host/dispatcher';
import { testHostContext } from '../support/app/host-context';
import { runCli } from '../support/cli';
import { httpRequest, type HttpRequest, type ServeProcess } from '../support/serve-process';

export interface Outcome {
  /** Exit code (k.3); for HTTP, the one the error code maps to. */
  readonly code: number;
  /** What the user reads: stderr and stdout, or the error message. */
  readonly text: string;
  /** HTTP only. */
  readonly status?: number;
}

export async function cli(args: readonly string[], env: Record<string, string>): Promise<Outcome> {
  const r = await runCli(args, env);
  return { code: r.code, text: `${r.stderr}\n${r.stdout}` };
}

/**
 * A contract command through the dispatcher on `dbPath`. startRun accepts and runs in the
 * background: its outcome is the final run status (exit code and error message).
 */
export async function contract(dbPath: string, now: string, name: string, input: unknown): Promise<Outcome> {
  const ctx = testHostContext(dbPath, now);
  try {
    const r = await dispatch(name, input, ctx);
    if (!r.ok) return { code: exitCodeFor(r.error.code), text: r.error.message };
    if (name === 'startRun') {
      await ctx.runs.settled();
      const st = await dispatch('getRunStatus', {}, ctx);
      if (!st.ok) return { code: exitCodeFor(st.error.code), text: st.error.message };
      const s = st.output as { exitCode: number | null; error: ErrorShape | null };
      return { code: s.exitCode ?? -1, text: s.error?.message ?? '' };
    }
    return { code: 0, text: JSON.stringify(r.output).slice(0, 2000) };
  } finally {
    ctx.reader?.close();
  }
}

export async function http(serve: ServeProcess, req: HttpRequest): Promise<Outcome> {
  const r = await httpRequest(serve.port, req);
  let code = 0;
  let text = r.body;
  try {
    const body = JSON.parse(r.body) as { ok: boolean; error?: ErrorShape };
    if (!body.ok && body.error) {
      code = exitCodeFor(body.error.code);
      text = body.error.message;
    }
  } catch {
    // a non-JSON body (the page, the event stream) is a success here
  }
  return { code, text, status: r.status };
}

export function bearer(serve: ServeProcess, token = serve.token): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs SQL on a closed database file. */
export function sqlOn(path: string, sql: string, ...args: unknown[]): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

/** A long-lived child process (its pid is alive on this host). */
export function liveProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
}

/**
 * Writes the run-lock row of a batch held by `pid` on this host, with a fresh heartbeat at
 * `now`: a live holder, so every command that takes the lock must refuse (g.9). The row is
 * static (no heartbeats), so "unchanged" stays exact.
 */
export function writeLiveLock(path: string, pid: number, now: string): void {
  const at = formatTimestamp(Date.parse(now));
  sqlOn(path, `INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested) VALUES (1, 'run', 'batch_held_by_test', 'cli', ?, ?, ?, ?, 0)`, hostname(), pid, at, at);
}

/** A child process that holds SQLite's write lock (BEGIN IMMEDIATE) until killed; resolves when it holds it. */
export async function holdWriteLock(path: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-e', `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(path)}); db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setTimeout(() => {}, 600000);`],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`write-lock holder exited with ${code}`)));
  });
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
