/** Shape of a CLI command: its flags (for parsing and help) and its handler. */
import { shellWord } from '../core/api/shell-word';
import type { EventLevel } from '../core/api/telemetry-events';
import type { CliIO } from './io';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly description: string;
  /** Shown in help after the flag, e.g. YYYY-MM-DD. */
  readonly valueName?: string;
  /** Shown in help as the default. */
  readonly defaultText?: string;
  /** The value may be omitted (`--resume` or `--resume RUN_ID`); omitted gives this value. */
  readonly optionalValue?: string;
  /** The command refuses to run without this flag; help marks it "(required)". */
  readonly required?: boolean;
  /**
   * A number that cannot be negative. The parser reads `--chunk-days -1` as two flags; for these
   * flags it takes `-1` as the value, so the command's own check names the allowed range. A
   * flag that takes negative numbers (`--seed`) is told to be written `--seed=-1` instead.
   */
  readonly nonNegative?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

export type FlagValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface GlobalOptions {
  /** The console's level (log-level.ts): --verbose, --quiet, else BATCHDESK_LOG_LEVEL, else info. */
  readonly logLevel: EventLevel;
  /** Only warnings, errors and results on the console (levels warn and error). */
  readonly quiet: boolean;
  /** The console's extra detail (level debug). */
  readonly verbose: boolean;
  /** ANSI colour on stderr, the stream the CLI colours (run's progress): colorEnabled. */
  readonly color: boolean;
  /** --db, else BATCHDESK_DB, else the app's default database; null until resolved. */
  readonly dbPath: string;
  /** True when the path came from neither --db nor BATCHDESK_DB. */
  readonly dbIsDefault: boolean;
}

/** The `--db` flag of a command the CLI advises, so it runs on this database as printed (pasted into a shell); none for the default database. */
export function advisedDbFlag(global: GlobalOptions): string {
  return global.dbIsDefault ? '' : ` --db ${shellWord(global.dbPath)}`;
}

export interface CommandContext {
  readonly io: CliIO;
  readonly flags: FlagValues;
  readonly positionals: readonly string[];
  readonly global: GlobalOptions;
  /** Resolves when the user asks to stop (first SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
  /** Aborted on a second signal: stop at once. */
  readonly hardSignal: AbortSignal;
}

export interface CommandSpec {
  /** One or two words: 'run', 'prices import'. */
  readonly name: string;
  readonly summary: string;
  readonly positionals?: readonly PositionalSpec[];
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly example: string;
  /** False for commands that may run without any database (m.24): the default folder is then not created. */
  readonly usesDatabase?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

export const JSON_FLAG: FlagSpec = { type: 'boolean', description: 'machine-readable JSON output on stdout' };
