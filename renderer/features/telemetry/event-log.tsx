/**
 * The log tail (SPEC.md h.7): human lines of the events (log-words.ts), filtered by level, event
 * and text. A line about a portfolio names it once the portfolios are read, and the text filter
 * matches the line as shown, names included. It holds the latest LOG_CAPACITY lines and says so
 * once older ones were dropped.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { EVENT_LEVELS, EVENT_NAMES, type EventLevel, type EventName } from '../../../core/api/telemetry-events';
import type { LogEntry } from '../../state/live-run';
import { fmtInt } from '../../ui/format';
import { logText, type PortfolioNames } from './log-words';

const RANK: Record<EventLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A log entry with its words. */
export interface LogLine extends LogEntry {
  readonly text: string;
}

export function filterLog(log: readonly LogLine[], minLevel: EventLevel, events: ReadonlySet<EventName>, text: string): LogLine[] {
  const needle = text.trim().toLowerCase();
  return log.filter((l) => RANK[l.level] >= RANK[minLevel] && events.has(l.event) && (needle === '' || l.text.toLowerCase().includes(needle)));
}

/**
 * The entries worded with the portfolio names the log knows. `worded` keeps each entry's line
 * once made (one cache per names), so a new batch words only its own entries and the others stay
 * the same objects for the memoized rows.
 */
export function wordLines(log: readonly LogEntry[], names: PortfolioNames, worded: WeakMap<LogEntry, LogLine>): readonly LogLine[] {
  return log.map((l) => {
    let line = worded.get(l);
    if (!line) {
      line = { ...l, text: logText(l.origin, names) };
      worded.set(l, line);
    }
    return line;
  });
}

const LogRow = memo(function LogRow({ line, start }: { line: LogLine; start: number }) {
  return (
    <div className={`log-line lvl-${line.level}`} style={{ transform: `translateY(${start}px)` }}>
      <span className="ts">{line.ts.slice(11, 23)}</span> <span className="lvl">{line.level}</span> {line.text}
    </div>
  );
});

/** `received`: the lines received in all, dropped ones included; `portfolios`: the names the lines use. */
export function EventLog({ log, received, portfolios }: { log: readonly LogEntry[]; received: number; portfolios: readonly { readonly id: string; readonly name: string }[] }) {
  const [minLevel, setMinLevel] = useState<EventLevel>('info');
  const [events, setEvents] = useState<ReadonlySet<EventName>>(new Set(EVENT_NAMES.filter((e) => e !== 'phase_start')));
  const [text, setText] = useState('');
  const names = useMemo<PortfolioNames>(() => new Map(portfolios.map((p) => [p.id, p.name])), [portfolios]);
  const worded = useMemo(() => new WeakMap<LogEntry, LogLine>(), [names]);
  const shown = useMemo(() => wordLines(log, names, worded), [log, names, worded]);
  const lines = useMemo(() => filterLog(shown, minLevel, events, text), [shown, minLevel, events, text]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scrollRef.current, estimateSize: () => 22, overscan: 8 });
  // Stick to the newest line while the user has not scrolled up (a direct scroll: cheap per update).
  useEffect(() => {
    const el = scrollRef.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  const toggle = (e: EventName) => {
    const next = new Set(events);
    if (next.has(e)) next.delete(e);
    else next.add(e);
    setEvents(next);
  };
  return (
    <section className="event-log" aria-labelledby="log-title" data-testid="event-log">
      <h2 id="log-title">Event log</h2>
      {received > log.length ? (
        <p className="note" data-testid="log-dropped">
          Showing the latest {fmtInt(log.length)} of {fmtInt(received)} events: older lines were dropped.
        </p>
      ) : null}
      <div className="filters" role="group" aria-label="Log filters">
        <label>
          Level at least
          <select value={minLevel} onChange={(e) => setMinLevel(e.target.value as EventLevel)} data-testid="log-level">
            {EVENT_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        {EVENT_NAMES.map((e) => (
          <label key={e} className="inline">
            <input type="checkbox" checked={events.has(e)} onChange={() => toggle(e)} />
            {e}
          </label>
        ))}
        <label>
          Contains
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="date, phase, reason..." data-testid="log-search" />
        </label>
        <span className="muted">
          {lines.length} of {log.length} lines
        </span>
      </div>
      <div
        ref={scrollRef}
        className="log-body"
        tabIndex={0}
        role="log"
        aria-label="Event log lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
        }}
      >
        {lines.length === 0 ? (
          <p className="log-empty" data-testid="log-empty">
            {log.length === 0 ? 'No events yet.' : 'No lines match the filters.'}
          </p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => (
              <LogRow key={lines[v.index]!.key} line={lines[v.index]!} start={v.start} />
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
