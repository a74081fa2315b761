/**
 * Every CLI command (SPEC.md k.2), in help order. Each command lives in its own file and
 * exports one CommandSpec; add new commands here.
 */
import type { CommandSpec } from '../command';
import { importCommand } from './import';
import { portfoliosCommand } from './portfolios';
import { pricesExportCommand } from './prices-export';
import { pricesImportCommand } from './prices-import';
import { profilesExportCommand } from './profiles-export';
import { profilesImportCommand } from './profiles-import';
import { runCommand } from './run';
import { seedDemoCommand } from './seed-demo';
import { SAFEGUARD_COMMANDS } from './safeguard-commands';
import { serveCommand } from './serve';

export const COMMANDS: readonly CommandSpec[] = [runCommand, seedDemoCommand, portfoliosCommand, importCommand, pricesImportCommand, pricesExportCommand, profilesImportCommand, profilesExportCommand, serveCommand, ...SAFEGUARD_COMMANDS];
