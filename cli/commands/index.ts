/**
 * Every CLI command (SPEC.md k.2), in help order. Each command lives in its own file and
 * exports one CommandSpec; add new commands here.
 */
import type { CommandSpec } from '../command';
import { runCommand } from './run';
import { seedDemoCommand } from './seed-demo';
import { serveCommand } from './serve';

export const COMMANDS: readonly CommandSpec[] = [runCommand, seedDemoCommand, serveCommand];
