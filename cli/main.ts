/**
 * The CLI entry: finds the command, parses and validates its flags, resolves the database
 * path and maps every failure onto the exit codes of SPEC.md k.3. `main` never throws.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BatchdeskError, EXIT, usageError } from '../core/api/errors';
import { classifyFailure, type ClassifiedFailure } from '../db/storage-errors';
import { withLockAdvice } from '../core/engine/locked-error';
import { APP_VERSION } from '../host/app-version';
import { GLOBAL_FLAGS, nearest, parseCommandArgs, stringFlag, subcommandError } from './args';
import { advisedDbFlag, type CommandSpec, type GlobalOptions } from './command';
import { colorEnabled } from './color';
import { COMMANDS } from './commands';
import { defaultDatabasePath } from './default-db';
import { commandHelp, globalHelp, groupHelp } from './help';
import { consoleLogLevel } from './log-level';
import { asciiJson } from './ascii';
import { shownValue } from '../core/api/ascii-json';
import { processIO, type CliIO } from './io';

/**
 * The index of a command group's subcommand in `argv` (`verify --db F views`): the first word
 * after the command that is neither a flag nor the value of a global flag or of a flag of the
 * one-word command (`backup --out list` backs up to `list`). Null when there is none.
 */
function subcommandIndex(argv: readonly string[]): number | null {
  const own = COMMANDS.find((c) => c.name === argv[0])?.flags ?? {};
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) return i;
    const name = a.slice(2);
    const flag = GLOBAL_FLAGS[name] ?? own[name];
    if (flag?.type === 'string' && flag.optionalValue === undefined) i += 1;
  }
  return null;
}

/**
 * The command `argv` starts with: two words (`verify views`) when they name one, else one;
 * the rest is the command's flags and arguments, global flags anywhere among them.
 */
function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | null {
  if (!argv[0] || argv[0].startsWith('-')) return null;
  const sub = subcommandIndex(argv);
  const two = sub === null ? undefined : COMMANDS.find((c) => c.name === `${argv[0]} ${argv[sub]}`);
  if (two) return { spec: two, rest: argv.filter((_, i) => i !== 0 && i !== sub) };
  const one = COMMANDS.find((c) => c.name === argv[0]);
  return one ? { spec: one, rest: argv.slice(1) } : null;
}

/** The second words of the two-word commands that start with `group` (`verify` has `demo`, `guard`, ...). */
function subcommandsOf(group: string): string[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.split(' ')[1]!);
}

/** The global flags that may come before the command (--help and --version lead on their own). */
const LEADING_GLOBALS = Object.entries(GLOBAL_FLAGS).filter(([name]) => name !== 'help' && name !== 'version');

/**
 * Global flags written before the command (`batchdesk --db F history`) move behind it, where
 * the command's parser reads them with its own: the value-less ones, and the ones with a value
 * as `--name VALUE` or `--name=VALUE`. Anything else leaves argv as it is.
 */
function leadingGlobals(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    const flag = LEADING_GLOBALS.find(([name]) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (!flag) break;
    const [name, spec] = flag;
    const next = argv[i + 1];
    if (spec.type === 'boolean' || a.includes('=')) {
      globals.push(a);
      i += 1;
    } else if (next !== undefined && !next.startsWith('-')) {
      globals.push(a, next);
      i += 2;
    } else throw new BatchdeskError('usage', `--${name} needs a value: --${name} ${spec.valueName ?? 'VALUE'}`);
  }
  return { globals, rest: argv.slice(i) };
}

export interface MainOptions {
  readonly io?: CliIO;
  readonly signal?: AbortSignal;
  readonly hardSignal?: AbortSignal;
}

function resolveDb(flag: string | undefined, io: CliIO, usesDatabase: boolean): { dbPath: string; dbIsDefault: boolean } {
  if (flag) return { dbPath: resolve(io.cwd, flag), dbIsDefault: false };
  const env = io.env['BATCHDESK_DB'];
  // Set but empty is a mistake (an unset variable in a script), never the default database.
  if (usesDatabase && env !== undefined && env.trim() === '') throw usageError('BATCHDESK_DB is set but empty: give it a database path, or unset it to use the default database');
  if (env) return { dbPath: resolve(io.cwd, env), dbIsDefault: false };
  return { dbPath: defaultDatabasePath(io.env), dbIsDefault: true };
}

/** Commands that run the batch: a first Ctrl-C lets the current portfolio-date finish (g.10). */
const BATCH_COMMANDS: ReadonlySet<string> = new Set(['run', 'rebuild']);

/** What the CLI says on a first Ctrl-C or SIGTERM while `argv` runs. */
export function stopNotice(argv: readonly string[]): string {
  let name: string | undefined;
  try {
    name = findCommand(leadingGlobals(argv).rest)?.spec.name;
  } catch {
    // a bad command line has already failed before any signal can come
  }
  return name !== undefined && BATCH_COMMANDS.has(name) ? 'Cancelling after the current portfolio-date... (press Ctrl-C again to stop at once)' : 'Stopping...';
}

export async function main(fullArgv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIO();
  let dbPath: string | undefined;
  let dbFlag = '';
  // A command given --json (run: --summary-json) answers a refusal with JSON on stdout too (reportError).
  let json = false;
  try {
    const { globals, rest: argv } = leadingGlobals(fullArgv);
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(globalHelp(COMMANDS, APP_VERSION));
      return EXIT.ok;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.out(APP_VERSION);
      return EXIT.ok;
    }
    const found = findCommand(argv);
    if (!found) {
      if (argv[0]!.startsWith('-')) {
        const leading = LEADING_GLOBALS.map(([name, spec]) => (spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.valueName ?? 'VALUE'}`));
        throw new BatchdeskError(
          'usage',
          `${JSON.stringify(argv[0])} cannot come before the command; only ${leading.slice(0, -1).join(', ')} and ${leading.at(-1)} can, a command's own flags follow it (batchdesk <command> [flags]; see \`batchdesk --help\`)`,
        );
      }
      const word = argv.find((a) => !a.startsWith('-')) ?? argv[0]!;
      const names = COMMANDS.map((c) => c.name.split(' ')[0]!);
      // A command group (`verify demo|guard|...`) with an unknown or missing subcommand.
      const subs = subcommandsOf(argv[0]!);
      if (subs.length > 0) {
        const at = subcommandIndex(argv);
        const sub = at === null ? undefined : argv[at];
        // `batchdesk prices --help`: the group's subcommands, as `batchdesk --help` lists commands.
        if (sub === undefined && argv.some((a) => a === '--help' || a === '-h')) {
          io.out(groupHelp(argv[0]!, COMMANDS));
          return EXIT.ok;
        }
        throw subcommandError(argv[0]!, sub, subs);
      }
      const near = nearest(word, [...new Set(names)]);
      throw new BatchdeskError('usage', `unknown command ${shownValue(word)}${near ? `; did you mean \`${near}\`?` : ''} (see \`batchdesk --help\`)`);
    }
    const { spec, rest } = found;
    json = (['json', 'summary-json'] as const).some((flag) => spec.flags[flag] !== undefined && rest.includes(`--${flag}`));
    const parsed = parseCommandArgs(spec, [...rest, ...globals], subcommandsOf(spec.name));
    if (parsed.flags['help']) {
      io.out(commandHelp(spec));
      return EXIT.ok;
    }
    if (parsed.flags['version']) {
      io.out(APP_VERSION);
      return EXIT.ok;
    }
    const db = resolveDb(stringFlag(parsed.flags['db']), io, spec.usesDatabase !== false);
    dbPath = db.dbPath;
    if (db.dbIsDefault && spec.usesDatabase !== false) mkdirSync(dirname(db.dbPath), { recursive: true });
    const logLevel = consoleLogLevel({ quiet: parsed.flags['quiet'] === true, verbose: parsed.flags['verbose'] === true }, io.env);
    const global: GlobalOptions = {
      logLevel,
      quiet: logLevel === 'warn' || logLevel === 'error',
      verbose: logLevel === 'debug',
      color: colorEnabled(parsed.flags['color'] === true, io.stderrIsTTY, io.env),
      ...db,
    };
    dbFlag = advisedDbFlag(global);
    return await spec.run({
      io,
      flags: parsed.flags,
      positionals: parsed.positionals,
      global,
      signal: options.signal ?? new AbortController().signal,
      hardSignal: options.hardSignal ?? new AbortController().signal,
    });
  } catch (err) {
    return reportError(err, io, dbPath, dbFlag, json);
  }
}

/** A failure as the CLI reports it: the one classification of every host (db/storage-errors.ts), with the lock advice's `--db`. */
function describeFailure(failure: unknown, dbPath: string | undefined, dbFlag: string): ClassifiedFailure {
  return classifyFailure(withLockAdvice(failure, dbFlag), dbPath);
}

/**
 * Prints a failure as one `error:` line and returns its exit code. `dbFlag` is the `--db` the
 * commands advised in it carry (advisedDbFlag): a lock refusal made where the database's origin
 * was not known (a purge, a restore, an import) gets it here, so its `batchdesk cancel` stops
 * the holder of this database. With `json` (the command was given --json, or run --summary-json) stdout also gets one
 * JSON document, the contract's failure answer plus the exit code:
 * `{ "ok": false, "error": { "code", "message", "details"? }, "exit_code" }`, so a script that
 * reads --json output gets JSON on a refusal too.
 */
export function reportError(failure: unknown, io: CliIO, dbPath?: string, dbFlag = '', json = false): number {
  const f = describeFailure(failure, dbPath, dbFlag);
  io.err(`error: ${f.text ?? f.error.message}`);
  if (json) io.out(asciiJson({ ok: false, error: f.error, exit_code: f.exitCode }, 2));
  return f.exitCode;
}
