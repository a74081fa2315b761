/** The host side of the contract: one handler per command, typed by the contract's schemas. */
import type { CommandName, CommandOutput, ParsedInput } from '../core/api/contract';
import type { Clock } from '../core/ports/clock';
import type { LockHolder } from '../core/ports/store';
import type { EventBus } from './event-bus';
import type { ReadConnection } from './read-connection';
import type { RunManager } from './run-manager';

/** The background-run surface handlers use: RunManager (in-process) or ThreadedRunManager (a run worker per run). */
export type RunController = Pick<RunManager, 'start' | 'cancel' | 'status' | 'running' | 'settled'>;

export interface HostContext {
  readonly dbPath: string;
  readonly holder: LockHolder;
  readonly triggeredBy: 'cli' | 'app' | 'serve';
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly runs: RunController;
  /** The views' read-only connection, kept open by long-lived hosts (worker, serve); absent = open one per call. */
  readonly reader?: ReadConnection;
}

export type Handler<N extends CommandName> = (input: ParsedInput<N>, ctx: HostContext) => Promise<CommandOutput<N>>;

export type HandlerMap<N extends CommandName> = { readonly [K in N]: Handler<K> };
