/**
 * The engine contract (SPEC.md 0.4): every command with its input and output schema, and the
 * telemetry events. Defined once here; bound to the worker message port (Electron), HTTP
 * (`serve`) and the CLI. Nobody types a channel string by hand: the names are the keys.
 */
import type { z } from 'zod';
import { debugCommands } from './commands/debug-commands';
import { diagnosticsCommands } from './commands/diagnostics-commands';
import { historyCommands } from './commands/history-commands';
import { importCommands } from './commands/import-commands';
import { maintenanceCommands } from './commands/maintenance-commands';
import { runCommands } from './commands/run-commands';
import { settingsCommands } from './commands/settings-commands';
import { viewCommands } from './commands/view-commands';

export const CONTRACT = {
  ...runCommands,
  ...viewCommands,
  ...settingsCommands,
  ...debugCommands,
  ...maintenanceCommands,
  ...diagnosticsCommands,
  ...historyCommands,
  ...importCommands,
} as const;

export type Contract = typeof CONTRACT;
export type CommandName = keyof Contract;
export type CommandInput<N extends CommandName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends CommandName> = z.output<Contract[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Contract[N]['output']>;

export const COMMAND_NAMES = Object.keys(CONTRACT) as CommandName[];

export function isCommandName(s: string): s is CommandName {
  return Object.prototype.hasOwnProperty.call(CONTRACT, s);
}
