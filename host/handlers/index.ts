/** Every handler of the contract; the type requires one per command. */
import type { CommandName } from '../../core/api/contract';
import type { HandlerMap } from '../handler-types';
import { debugHandlers } from './debug-handlers';
import { diagnosticsHandlers } from './diagnostics-handlers';
import { historyHandlers } from './history-handlers';
import { importHandlers } from './import-handlers';
import { maintenanceHandlers } from './maintenance-handlers';
import { runHandlers } from './run-handlers';
import { viewHandlers } from './view-handlers';

export const HANDLERS: HandlerMap<CommandName> = {
  ...runHandlers,
  ...viewHandlers,
  ...debugHandlers,
  ...maintenanceHandlers,
  ...diagnosticsHandlers,
  ...historyHandlers,
  ...importHandlers,
};
