/**
 * GET /api/events: the telemetry stream as server-sent events (SPEC.md k.2). Events are
 * batched by the UI throttle (at most 10 messages a second, discrete events never dropped),
 * engine status changes are sent as they happen, and a comment line every 15 s keeps proxies
 * and the browser from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import { createTelemetryThrottle, type ThrottleTimer } from '../../core/api/telemetry-throttle';
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import type { EngineStatus } from '../../host/engine-worker-client';
import { SECURITY_HEADERS } from './static-files';

export interface EventSourceLike {
  onEvent(listener: (e: TelemetryEvent) => void): () => void;
  onStatus(listener: (s: EngineStatus) => void): () => void;
  readonly currentStatus: EngineStatus;
}

const nodeTimer: ThrottleTimer = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function openEventStream(res: ServerResponse, engine: EventSourceLike, keepAliveMs = 15_000): () => void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\n\n`);
  res.write(sseFrame('engine', engine.currentStatus));
  const throttle = createTelemetryThrottle((batch) => res.write(sseFrame('telemetry', batch)), nodeTimer);
  const offEvent = engine.onEvent((e) => throttle.push(e));
  const offStatus = engine.onStatus((s) => res.write(sseFrame('engine', s)));
  const ping = setInterval(() => res.write(': ping\n\n'), keepAliveMs);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    offEvent();
    offStatus();
    throttle.dispose();
  };
  res.on('close', close);
  return () => {
    close();
    res.end();
  };
}
