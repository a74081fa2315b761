/**
 * The console's level (SPEC.md k.4's `BATCHDESK_LOG_LEVEL`): which of a command's progress lines
 * reach stderr. `--verbose` is `debug` and `--quiet` is `error`, for one command (the two together
 * are a usage error, cli/args.ts); without either, `BATCHDESK_LOG_LEVEL` decides, else `info`.
 *
 * - `debug`: every line, with the detail --verbose adds;
 * - `info`: progress, warnings and failures (the default);
 * - `warn`: only the lines of warn- and error-level events, and the results;
 * - `error`: only the results and the final `error:` line (as --quiet).
 *
 * The JSON-lines event log (--log-file) gets every event whatever the level (h.1).
 */
import { z } from 'zod';
import { EVENT_LEVELS, type EventLevel } from '../core/api/telemetry-events';
import { shownValue } from '../core/api/ascii-json';
import { usageError } from '../core/api/errors';

const levelSchema = z.enum(EVENT_LEVELS);

export function consoleLogLevel(flags: { quiet: boolean; verbose: boolean }, env: Readonly<Record<string, string | undefined>>): EventLevel {
  if (flags.quiet) return 'error';
  if (flags.verbose) return 'debug';
  const raw = env['BATCHDESK_LOG_LEVEL'];
  if (raw === undefined || raw === '') return 'info';
  const parsed = levelSchema.safeParse(raw.trim().toLowerCase());
  if (!parsed.success) throw usageError(`BATCHDESK_LOG_LEVEL must be one of ${EVENT_LEVELS.join(', ')} (it is ${shownValue(raw)}); unset it for the default, info`);
  return parsed.data;
}
