/** Every handler of the contract; the type requires one per command. */
import type { CommandName } from '../../core/api/contract';
import type { HandlerMap } from '../handler-types';
import { runHandlers } from './run-handlers';
import { viewHandlers } from './view-handlers';

export const HANDLERS: HandlerMap<CommandName> = {
  ...runHandlers,
  ...viewHandlers,
};
