/** Help texts (SPEC.md k.1): the command list, and per command its flags (required ones marked) with defaults and one example. */
import { GLOBAL_FLAGS } from './args';
import type { CommandSpec, FlagSpec } from './command';

function flagLine(name: string, f: FlagSpec): string {
  const value = f.type === 'string' ? ` ${f.optionalValue !== undefined ? `[${f.valueName ?? 'VALUE'}]` : (f.valueName ?? 'VALUE')}` : '';
  const left = `  --${name}${value}`;
  const req = f.required ? ' (required)' : '';
  const def = f.defaultText ? ` (default: ${f.defaultText})` : '';
  const rep = f.multiple ? ' (repeatable)' : '';
  return `${left.padEnd(34)} ${f.description}${req}${def}${rep}`;
}

export function commandHelp(spec: CommandSpec): string {
  const pos = (spec.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(' ');
  const lines = [`Usage: batchdesk ${spec.name}${pos ? ` ${pos}` : ''} [flags]`, '', spec.summary, ''];
  if (spec.positionals?.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(32)} ${p.description}`);
    lines.push('');
  }
  lines.push('Flags:');
  for (const [name, f] of Object.entries(spec.flags)) lines.push(flagLine(name, f));
  lines.push('', 'Global flags:');
  for (const [name, f] of Object.entries(GLOBAL_FLAGS)) lines.push(flagLine(name, f));
  lines.push('', 'Example:', `  ${spec.example}`);
  return lines.join('\n');
}

export function globalHelp(specs: readonly CommandSpec[], version: string): string {
  const lines = [
    `batchdesk ${version}: run, debug and validate the nightly portfolio batch on a local SQLite database.`,
    '',
    'Usage: batchdesk <command> [flags]',
    '',
    'Commands:',
    ...specs.map((s) => `  ${s.name.padEnd(22)} ${s.summary}`),
    '',
    'Global flags (anywhere after the command; --db, --quiet, --verbose and --color also before it):',
    ...Object.entries(GLOBAL_FLAGS).map(([n, f]) => flagLine(n, f)),
    '',
    'Database: --db PATH, else BATCHDESK_DB, else the desktop app default database.',
    'Console: --quiet or --verbose, else BATCHDESK_LOG_LEVEL (debug, info, warn, error), else info.',
    'Run `batchdesk <command> --help` for the flags of a command.',
  ];
  return lines.join('\n');
}

/** A command group's help (`batchdesk prices --help`): its subcommands with their summaries. */
export function groupHelp(group: string, specs: readonly CommandSpec[]): string {
  const subs = specs.filter((s) => s.name.startsWith(`${group} `));
  return [
    `Usage: batchdesk ${group} <${subs.map((s) => s.name.slice(group.length + 1)).join('|')}> [flags]`,
    '',
    'Commands:',
    ...subs.map((s) => `  ${s.name.padEnd(22)} ${s.summary}`),
    '',
    `Run \`batchdesk ${group} <command> --help\` for the flags of a command.`,
  ].join('\n');
}
