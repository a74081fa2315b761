/**
 * Telemetry from the engine worker to the renderer (SPEC.md h.1 "renderer bridge"): batched
 * by the UI throttle, so the window gets at most 10 messages a second and every discrete event.
 */
import type { WebContents } from 'electron';
import { IPC_CHANNELS } from '../../core/api/bridge';
import type { EngineStatus } from '../../core/api/engine-status';
import { createTelemetryThrottle, type ThrottleTimer } from '../../core/api/telemetry-throttle';
import type { TelemetryEvent } from '../../core/api/telemetry-events';

const nodeTimer: ThrottleTimer = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface TelemetrySource {
  onEvent(listener: (e: TelemetryEvent) => void): () => void;
  onStatus(listener: (s: EngineStatus) => void): () => void;
  readonly currentStatus: EngineStatus;
}

export function bridgeTelemetry(source: TelemetrySource, target: () => WebContents | null): () => void {
  const send = (channel: string, payload: unknown) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(channel, payload);
  };
  const throttle = createTelemetryThrottle((batch) => send(IPC_CHANNELS.telemetry, batch), nodeTimer);
  const offEvent = source.onEvent((e) => throttle.push(e));
  const offStatus = source.onStatus((s) => send(IPC_CHANNELS.engineStatus, s));
  return () => {
    offEvent();
    offStatus();
    throttle.flush();
    throttle.dispose();
  };
}
