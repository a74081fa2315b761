/**
 * The renderer's one engine client (ARCHITECTURE.md: one client, two transports). Commands
 * are typed by the contract and their results parsed with its output schemas; telemetry is
 * parsed event by event and reaches the UI through the throttle, at most 10 updates a second
 * with every discrete event kept, whatever the transport delivers.
 */
import type { z } from 'zod';
import { errorShapeSchema } from '../../core/api/errors';
import { CONTRACT, isCommandName, type CommandInput, type CommandName, type CommandOutput } from '../../core/api/contract';
import { engineStatusSchema, type EngineStatus } from '../../core/api/engine-status';
import { telemetryEventSchema, type TelemetryEvent } from '../../core/api/telemetry-events';
import { createTelemetryThrottle, type TelemetryBatch, type ThrottleTimer } from '../../core/api/telemetry-throttle';
import { EngineError } from './engine-error';
import type { ConnectionState, Transport } from './transport';

export const browserTimer: ThrottleTimer = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
};

type BatchListener = (batch: TelemetryBatch) => void;

export class EngineClient {
  private readonly batchListeners = new Set<BatchListener>();
  private readonly statusListeners = new Set<(s: EngineStatus) => void>();
  private readonly connectionListeners = new Set<(s: ConnectionState) => void>();
  private unsubscribe: (() => void) | null = null;
  private status: EngineStatus = { state: 'starting' };
  private connection: ConnectionState = 'connecting';
  private invalidEvents = 0;
  private rebuildingFlag = false;
  private readonly rebuildingListeners = new Set<(on: boolean) => void>();
  private readonly throttle;

  constructor(
    readonly transport: Transport,
    timer: ThrottleTimer = browserTimer,
  ) {
    this.throttle = createTelemetryThrottle((batch) => {
      for (const l of this.batchListeners) l(batch);
    }, timer);
  }

  /** Starts listening to the transport (idempotent). */
  connect(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.transport.subscribe({
      onTelemetry: (raw) => this.receive(raw),
      onEngineStatus: (raw) => {
        const s = engineStatusSchema.safeParse(raw);
        if (!s.success) return;
        this.status = s.data;
        for (const l of this.statusListeners) l(s.data);
      },
      onConnection: (c) => {
        this.connection = c;
        for (const l of this.connectionListeners) l(c);
      },
    });
  }

  disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.throttle.flush();
  }

  get engineStatus(): EngineStatus {
    return this.status;
  }

  get connectionState(): ConnectionState {
    return this.connection;
  }

  /** Telemetry events that failed validation and were dropped. */
  get droppedInvalid(): number {
    return this.invalidEvents;
  }

  /** Browser mode: the last answer said a rebuild holds the database (SPEC.md k.2 "rebuilding"). */
  get rebuilding(): boolean {
    return this.rebuildingFlag;
  }

  onRebuilding(listener: (on: boolean) => void): () => void {
    this.rebuildingListeners.add(listener);
    return () => this.rebuildingListeners.delete(listener);
  }

  async call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
    const raw = await this.transport.invoke(name, input);
    return this.unwrap(name, raw, CONTRACT[name].output as z.ZodType) as CommandOutput<N>;
  }

  /** A command named at run time, its output read with the caller's schema. */
  async callNamed<S extends z.ZodType>(name: string, input: unknown, output: S): Promise<z.output<S>> {
    if (!isCommandName(name)) throw new EngineError({ code: 'not_found', message: `this version of batchdesk has no ${name} command` });
    const raw = await this.transport.invoke(name, input);
    return this.unwrap(name, raw, output) as z.output<S>;
  }

  onTelemetry(listener: BatchListener): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  onEngineStatus(listener: (s: EngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onConnection(listener: (s: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Feeds one event or a batch from a transport (validated here). */
  receive(raw: unknown): void {
    const events: TelemetryEvent[] = [];
    const rawEvents = Array.isArray((raw as { events?: unknown })?.events) ? ((raw as { events: unknown[] }).events) : [raw];
    for (const r of rawEvents) {
      const e = telemetryEventSchema.safeParse(r);
      if (e.success) events.push(e.data);
      else this.invalidEvents++;
    }
    const counts = (raw as { counts?: unknown })?.counts;
    const coalesced = (raw as { coalesced?: unknown })?.coalesced;
    if (counts && typeof counts === 'object') {
      const clean: Record<string, number> = {};
      for (const [k, v] of Object.entries(counts as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) clean[k] = v;
      this.throttle.pushBatch({ events, counts: clean, coalesced: typeof coalesced === 'number' ? coalesced : 0 });
    } else {
      for (const e of events) this.throttle.push(e);
    }
  }

  private unwrap(name: string, raw: unknown, schema: z.ZodType): unknown {
    const r = raw as { ok?: unknown; output?: unknown; error?: unknown; rebuilding?: unknown };
    const rebuilding = r?.rebuilding === true;
    if (rebuilding !== this.rebuildingFlag) {
      this.rebuildingFlag = rebuilding;
      for (const l of this.rebuildingListeners) l(rebuilding);
    }
    if (r && r.ok === true) {
      const parsed = schema.safeParse(r.output);
      if (!parsed.success) throw new EngineError({ code: 'internal', message: `${name}: the engine's answer does not match the contract (${parsed.error.issues[0]?.message ?? ''})` });
      return parsed.data;
    }
    const e = errorShapeSchema.safeParse(r?.error);
    throw new EngineError(e.success ? e.data : { code: 'internal', message: `${name}: malformed answer from the engine` });
  }
}
