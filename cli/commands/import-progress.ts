/**
 * Progress of a long `import` on stderr (SPEC.md j.7 "Long imports show progress"): the
 * `import_progress` metric events become at most one line a second, and only once the import
 * has run for `afterMs`, so a small dump prints none. On a terminal the line is rewritten in
 * place; in a pipe or a log each update is its own line.
 */
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import type { TelemetrySink } from '../../core/telemetry/record-metric';

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export interface ImportProgressOptions {
  readonly tty: boolean;
  readonly now: () => number;
  /** Quiet period before the first line (default 2 s). */
  readonly afterMs?: number;
  /** Least time between lines (default 1 s). */
  readonly everyMs?: number;
}

export function importProgressSink(write: (text: string) => void, writeRaw: (text: string) => void, o: ImportProgressOptions): TelemetrySink & { finish(): void } {
  const started = o.now();
  let last = 0;
  let inPlace = false;
  return {
    name: 'import_progress',
    handle(e: TelemetryEvent) {
      if (e.event !== 'metric' || e.payload.name !== 'import_progress') return;
      const now = o.now();
      if (now - started < (o.afterMs ?? 2000) || now - last < (o.everyMs ?? 1000)) return;
      last = now;
      const tags = e.payload.tags;
      const bytes = e.payload.value ?? 0;
      const total = typeof tags['total_bytes'] === 'number' ? tags['total_bytes'] : null;
      const pct = total ? ` (${Math.min(100, Math.round((100 * bytes) / total))}%)` : '';
      const text = `import: ${String(tags['table'])} ${mb(bytes)}${total ? ` of ${mb(total)}` : ''}${pct}, ${String(tags['rows'])} rows read, ${((now - started) / 1000).toFixed(0)}s`;
      if (o.tty) {
        writeRaw(`\r\x1b[2K${text}`);
        inPlace = true;
      } else write(text);
    },
    finish() {
      if (inPlace) writeRaw('\n');
      inPlace = false;
    },
  };
}
