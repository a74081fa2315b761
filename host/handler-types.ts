/** The host side of the contract: one handler per command, typed by the contract's schemas. */
import type { CommandName, CommandOutput, ParsedInput } from '../core/api/contract';
import type { Clock } from '../core/ports/clock';
import type { LockHolder } from '../core/ports/store';
import type { EventBus } from './event-bus';
import type { ReadConnection } from './read-connection';
import type { RunStatus } from '../core/api/commands/run-commands';
import type { RunOptions } from '../core/api/run-options';

/**
 * The background-run surface handlers use (ThreadedRunManager in the app and `serve`: one run
 * worker thread per run; tests may pass an in-process implementation).
 */
export interface RunController {
  start(options: RunOptions): RunStatus;
  /** Resolves with the status once the current run has its id, or has ended without one (refused, nothing to run). */
  started(): Promise<RunStatus>;
  cancel(force: boolean): boolean;
  status(): RunStatus;
  readonly running: boolean;
  settled(): Promise<void>;
}

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
