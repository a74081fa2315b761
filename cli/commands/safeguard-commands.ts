/** The safeguard and diagnostics commands (SPEC.md i, j, g.10), in help order. */
import type { CommandSpec } from '../command';
import { backupCommand, backupListCommand, restoreCommand } from './backup';
import { cancelCommand } from './cancel';
import { diagnoseCommand, diagnoseEquityCashCommand, diagnosePricesCommand } from './diagnose';
import { compareBaselineCommand, exportBaselineCommand, historyCommand } from './history';
import { purgeCommand } from './purge';
import { rebuildCommand } from './rebuild';
import { reconcileCommand } from './reconcile';
import { verifyCoverageCommand, verifyDemoCommand, verifyGuardCommand, verifyRowcountsCommand, verifyViewsCommand } from './verify';

export const SAFEGUARD_COMMANDS: readonly CommandSpec[] = [
  backupCommand,
  backupListCommand,
  restoreCommand,
  purgeCommand,
  rebuildCommand,
  reconcileCommand,
  diagnoseCommand,
  diagnoseEquityCashCommand,
  diagnosePricesCommand,
  verifyDemoCommand,
  verifyGuardCommand,
  verifyCoverageCommand,
  verifyRowcountsCommand,
  verifyViewsCommand,
  historyCommand,
  exportBaselineCommand,
  compareBaselineCommand,
  cancelCommand,
];
