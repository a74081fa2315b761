/**
 * Event log files (SPEC.md h.3): JSON lines (one envelope per line, keys in a fixed order,
 * non-ASCII escaped) or key=value lines. Written synchronously so a crash loses at most the
 * line being written.
 */
import { closeSync, existsSync, mkdirSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import type { TelemetrySink } from '../../core/telemetry/record-metric';
import { outputPathError, refuseDatabaseOverwrite, refuseUnusableOutput } from '../../db/maintenance/database-paths';
import { asciiJson, toAscii } from '../ascii';

const ENVELOPE_ORDER = ['event', 'schema', 'run_id', 'seq', 'ts', 'source', 'level', 'payload'] as const;

export function jsonLine(e: TelemetryEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const k of ENVELOPE_ORDER) ordered[k] = e[k];
  return asciiJson(ordered);
}

function kvValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return asciiJson(v);
  const s = toAscii(String(v));
  return /[\s"=]/.test(s) ? JSON.stringify(s) : s;
}

/**
 * `2025-07-01T22:30:04.123000Z info phase_result date=... phase=marks portfolio=1d8ddd95 status=success ...`;
 * a metric's tags follow its fields (`... metric name=sql sql="SELECT ..."`), since they are what it says.
 */
export function kvLine(e: TelemetryEvent): string {
  const p = e.payload as Record<string, unknown>;
  const parts: string[] = [`${e.ts} ${e.level} ${e.event}`];
  const fields = e.event === 'metric' ? [...Object.entries(p).filter(([k]) => k !== 'tags'), ...Object.entries(e.payload.tags)] : Object.entries(p);
  for (const [k, v] of fields) {
    // Nulls and the static `critical` flag add nothing to a human-readable line (h.3 example).
    if (k === 'metrics' || k === 'options' || k === 'tags' || k === 'critical' || v === undefined || v === null) continue;
    if (k === 'portfolio_id') {
      if (v !== null) parts.push(`portfolio=${String(v).slice(0, 8)}`);
      continue;
    }
    parts.push(`${k}=${kvValue(v)}`);
  }
  return parts.join(' ');
}

/**
 * Appends events to `path`, never to `database` (the command's --db), its companions or any
 * SQLite file. A missing folder is made, since `--log-file logs/backfill.jsonl` must work on a
 * fresh checkout (SPEC.md h.3) and rebuild's default log goes to `logs/` (j.5). The file is
 * opened at once, so a path that cannot be written is a data/IO error naming it before anything
 * runs; a command refused before its first event leaves no trace: an empty file this sink
 * created, and the folders it made for it, are removed on close.
 */
export function fileSink(path: string, format: 'json' | 'kv', database: string): TelemetrySink & { close(): void } {
  refuseDatabaseOverwrite(path, 'the event log', [database]);
  refuseUnusableOutput(path, 'the event log', '--log-file');
  let fd: number;
  let madeFolder: string | undefined;
  const existed = existsSync(path);
  try {
    madeFolder = mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a');
  } catch (err) {
    throw outputPathError('the event log', path, (err as Error).message, '--log-file');
  }
  let written = 0;
  return {
    name: `log_file:${format}`,
    handle(e) {
      writeSync(fd, `${format === 'json' ? jsonLine(e) : kvLine(e)}\n`);
      written++;
    },
    close() {
      closeSync(fd);
      if (existed || written > 0) return;
      rmSync(path, { force: true });
      // The folders made for the file, innermost first; one that is not empty stays.
      for (let dir = dirname(path); madeFolder && dir.length >= madeFolder.length; dir = dirname(dir)) {
        try {
          rmdirSync(dir);
        } catch {
          break;
        }
      }
    },
  };
}

export function streamSink(write: (line: string) => void, format: 'json' | 'kv'): TelemetrySink {
  return { name: `stream:${format}`, handle: (e) => write(format === 'json' ? jsonLine(e) : kvLine(e)) };
}
