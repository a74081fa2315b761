/**
 * argv parsing (node:util parseArgs, strict) with the usage errors of SPEC.md k.1: an
 * unknown flag, a bad value or a required flag left out is exit code 2 with a one-line
 * explanation and, for a misspelt flag, the nearest valid one.
 */
import { parseArgs } from 'node:util';
import { type BatchdeskError, usageError } from '../core/api/errors';
import type { CommandSpec, FlagSpec, FlagValues } from './command';
import { shownValue, SHOWN_VALUE_MAX } from '../core/api/ascii-json';

export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  db: { type: 'string', valueName: 'PATH', description: 'database file (else BATCHDESK_DB, else the app default)' },
  help: { type: 'boolean', description: 'show help for the command' },
  version: { type: 'boolean', description: 'print the version' },
  quiet: { type: 'boolean', description: 'print only errors and results' },
  verbose: { type: 'boolean', description: 'print more detail' },
  color: { type: 'boolean', description: 'ANSI colours on a terminal (NO_COLOR wins)' },
};

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

export function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Close enough, and not a whole rewrite: `--x` is no typo of `--db` (2 edits, nothing shared).
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 3)) && bestD < Math.max(word.length, best.length) ? best : null;
}

/**
 * The flags a misspelt one most likely meant (SPEC.md k.1): the same name in other letter case;
 * else every flag the word begins (`--start` is `--start-date`, `--tolerance` both tolerances);
 * else the nearest by edit distance. Flag names are lower case.
 */
export function flagSuggestions(word: string, names: readonly string[]): string[] {
  const w = word.toLowerCase();
  if (w === '') return [];
  if (names.includes(w)) return [w];
  const begun = names.filter((n) => n.startsWith(w));
  if (begun.length > 0) return begun;
  const near = nearest(w, names);
  return near ? [near] : [];
}

/** `--a`, `--a or --b`, `--a, --b or --c`. */
function flagAlternatives(names: readonly string[]): string {
  const flags = names.map((n) => `--${n}`);
  return flags.length > 1 ? `${flags.slice(0, -1).join(', ')} or ${flags.at(-1)}` : (flags[0] ?? '');
}

/**
 * The unknown flag parseArgs reported, as the user typed it, with what it most likely meant. A
 * single-dash word (`-dry-run`) is reported by its first letter, so it is read back from argv.
 */
function unknownFlagWords(reported: string, argv: readonly string[], names: readonly string[]): { typed: string; hint: string } {
  if (reported.startsWith('--')) {
    const suggestions = flagSuggestions(reported.slice(2).split('=')[0]!, names);
    return { typed: reported, hint: suggestions.length ? `; did you mean ${flagAlternatives(suggestions)}?` : '' };
  }
  const token = argv.find((a) => !a.startsWith('--') && a.startsWith(reported)) ?? reported;
  const name = token.split('=')[0]!;
  const typed = name.length > 1 ? name : token;
  const word = name.slice(1);
  const suggestions = word.length > 1 ? flagSuggestions(word, names) : [];
  return { typed, hint: suggestions.length ? `; did you mean ${flagAlternatives(suggestions)}?` : '; flags are written in full, as --name' };
}

/**
 * A command group's subcommand that is none of its own (`verify bogus`, `diagnose bogus`), or
 * none given where one is needed: names them all, and the nearest.
 */
export function subcommandError(group: string, sub: string | undefined, subs: readonly string[]): BatchdeskError {
  const near = sub ? nearest(sub, subs) : null;
  const what = sub === undefined ? `\`${group}\` needs a subcommand` : `unknown subcommand ${shownValue(sub)} of \`${group}\``;
  return usageError(`${what}; one of: ${subs.join(', ')}${near ? `; did you mean \`${group} ${near}\`?` : ''} (see \`batchdesk --help\`)`);
}

export interface ParsedCommandArgs {
  readonly flags: FlagValues;
  readonly positionals: string[];
}

/** True when `token` is a flag that takes the next word as its value (`--out`, not `--out=F` or `--resume`). */
function awaitsValue(token: string | undefined, flags: Readonly<Record<string, FlagSpec>>): boolean {
  const spec = token?.startsWith('--') && !token.includes('=') ? flags[token.slice(2)] : undefined;
  return spec?.type === 'string' && spec.optionalValue === undefined;
}

/**
 * Writes two shapes of argv as `--name=VALUE` for parseArgs: a flag whose value is optional
 * given alone (`--resume` is `--resume=<optionalValue>`), and a non-negative number flag with a
 * value that starts with "-" (`--chunk-days -1` is `--chunk-days=-1`, which the command refuses
 * with its allowed range). `-h` is `--help`, as it is before a command (`batchdesk -h`), unless
 * it is the value of the flag before it.
 */
function joinFlagValues(argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : null;
    const spec = name ? flags[name] : undefined;
    const next = argv[i + 1];
    if (a === '-h' && !awaitsValue(argv[i - 1], flags)) {
      out.push('--help');
      continue;
    }
    if (spec?.optionalValue !== undefined && (next === undefined || next.startsWith('--') || next === '-h')) {
      out.push(`--${name}=${spec.optionalValue}`);
      continue;
    }
    if (spec?.nonNegative && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      out.push(`--${name}=${next}`);
      i += 1;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The required flags left out (or given empty), as help writes them: `--out FILE`. */
function missingRequiredFlags(spec: CommandSpec, values: FlagValues): string[] {
  return Object.entries(spec.flags)
    .filter(([name, f]) => f.required && (values[name] === undefined || values[name] === ''))
    .map(([name, f]) => `--${name}${f.type === 'string' ? ` ${f.valueName ?? 'VALUE'}` : ''}`);
}

/**
 * The first flag given an empty value (`--portfolio ''`, `--portfolio ,`): an unset variable in
 * a script, which must never widen a command's scope to everything, as leaving the flag out does.
 * An empty item in a list (`--phase marks,`, `--phase marks,,analytics`) is one too: the list
 * would silently lose the item the variable was meant to give.
 */
function emptyValuedFlag(values: FlagValues): { name: string; item: boolean } | null {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === 'string' && v.trim() === '') return { name, item: false };
    // A repeatable flag's values are comma-separated lists (listFlag).
    if (!Array.isArray(v)) continue;
    const parts = v.map((item) => item.split(',').map((part) => part.trim()));
    if (parts.some((p) => p.every((part) => part === ''))) return { name, item: false };
    if (parts.some((p) => p.some((part) => part === ''))) return { name, item: true };
  }
  return null;
}

/**
 * The first flag that takes one value but was given more than once (`--start-date A
 * --start-date B`), with its values in order: parseArgs would silently keep the last. Flags
 * declared `multiple` (--portfolio, --phase, --symbols) repeat by design; a repeated boolean
 * says the same thing twice.
 */
function repeatedSingleValueFlag(flags: Readonly<Record<string, FlagSpec>>, tokens: ReturnType<typeof parseArgs>['tokens']): { name: string; values: string[] } | null {
  const given = new Map<string, string[]>();
  for (const t of tokens ?? []) {
    if (t.kind === 'option' && flags[t.name]?.type === 'string' && !flags[t.name]?.multiple) given.set(t.name, [...(given.get(t.name) ?? []), t.value ?? '']);
  }
  const [name, values] = [...given].find(([, v]) => v.length > 1) ?? [];
  return name && values ? { name, values } : null;
}

/**
 * Parses a command's argv. `subcommands` are the second words of the two-word commands that
 * share this command's first word (`diagnose` has `equity-cash` and `prices`): an unexpected
 * first argument is then named as an unknown one of them.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[], subcommands: readonly string[] = []): ParsedCommandArgs {
  const all: Record<string, FlagSpec> = { ...GLOBAL_FLAGS, ...spec.flags };
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, f] of Object.entries(all)) options[name] = f.multiple ? { type: f.type, multiple: true } : { type: f.type };
  let parsed;
  try {
    parsed = parseArgs({ args: joinFlagValues(argv, all), options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(e.message);
    if (unknown) {
      const { typed, hint } = unknownFlagWords(unknown[1]!, argv, Object.keys(all));
      throw usageError(`unknown flag ${typed} for \`batchdesk ${spec.name}\`${hint} (see \`batchdesk ${spec.name} --help\`)`);
    }
    const ambiguous = /Option '(-{1,2}[^' ]+)[^']*' argument is ambiguous/.exec(e.message);
    if (ambiguous) {
      const flag = ambiguous[1]!;
      const value = argv[argv.indexOf(flag) + 1] ?? '';
      const joined = `${flag}=${[...value].length > SHOWN_VALUE_MAX ? 'VALUE' : value}`;
      throw usageError(`${flag} ${shownValue(value)}: a value that starts with "-" reads like a flag; if you mean it, write ${joined} (see \`batchdesk ${spec.name} --help\`)`);
    }
    const missing = /Option '(-{1,2}[^']+)(?: <value>)?' argument missing/.exec(e.message);
    if (missing) throw usageError(`flag ${missing[1]} needs a value (see \`batchdesk ${spec.name} --help\`)`);
    throw usageError(`${e.message.split('\n')[0]} (see \`batchdesk ${spec.name} --help\`)`);
  }
  const positionals = [...parsed.positionals];
  const allowed = spec.positionals ?? [];
  if (!parsed.values['help']) {
    if (parsed.values['quiet'] && parsed.values['verbose']) throw usageError(`--quiet and --verbose exclude each other: keep one (see \`batchdesk ${spec.name} --help\`)`);
    const repeated = repeatedSingleValueFlag(all, parsed.tokens);
    if (repeated) {
      const shown = repeated.values.map(shownValue).join(', then ');
      throw usageError(`--${repeated.name} is given ${repeated.values.length === 2 ? 'twice' : `${repeated.values.length} times`} (${shown}) but takes one value; keep one (see \`batchdesk ${spec.name} --help\`)`);
    }
    const required = allowed.filter((p) => p.required).length;
    if (positionals.length < required) {
      throw usageError(`\`batchdesk ${spec.name}\` needs ${allowed.filter((p) => p.required).map((p) => `<${p.name}>`).join(' ')} (see \`batchdesk ${spec.name} --help\`)`);
    }
    if (positionals.length > allowed.length) {
      if (allowed.length === 0 && subcommands.length > 0) throw subcommandError(spec.name, positionals[0], subcommands);
      throw usageError(`unexpected argument ${shownValue(positionals[allowed.length]!)} for \`batchdesk ${spec.name}\` (see \`batchdesk ${spec.name} --help\`)`);
    }
    const missing = missingRequiredFlags(spec, parsed.values as FlagValues);
    if (missing.length > 0) throw usageError(`\`batchdesk ${spec.name}\` needs ${missing.join(' ')} (see \`batchdesk ${spec.name} --help\`)`);
    const empty = emptyValuedFlag(parsed.values as FlagValues);
    if (empty?.item) throw usageError(`--${empty.name} has an empty item in its comma-separated list: remove the extra comma or give the missing value (see \`batchdesk ${spec.name} --help\`)`);
    if (empty) throw usageError(`--${empty.name} is empty: give it a value or leave the flag out (see \`batchdesk ${spec.name} --help\`)`);
  }
  return { flags: parsed.values as FlagValues, positionals };
}

/** Comma-separated or repeated values of a multiple flag, trimmed (parseArgs refuses empty parts). */
export function listFlag(v: string | boolean | string[] | undefined): string[] {
  if (v === undefined || typeof v === 'boolean') return [];
  const items = Array.isArray(v) ? v : [v];
  return items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

export function stringFlag(v: string | boolean | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v[v.length - 1];
  return undefined;
}
