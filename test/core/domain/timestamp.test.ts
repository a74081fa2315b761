/**
 * Stored timestamps (SPEC.md a.3): UTC, exactly six fraction digits, string order = time
 * order. Reference values are hand-written ISO strings of the given epoch milliseconds.
 * formatTimestamp keeps the last instant it formatted; the result must not depend on it.
 */
import { describe, expect, it } from 'vitest';
import { formatTimestamp, isTimestamp, timestampToEpochMs } from '../../../core/domain/timestamp';

describe('timestamps', () => {
  it('formats epoch milliseconds with six fraction digits, the same instant twice alike, each new one afresh', () => {
    const a = Date.UTC(2025, 6, 1, 22, 30, 4, 123);
    expect(formatTimestamp(a)).toBe('2025-07-01T22:30:04.123000Z');
    expect(formatTimestamp(a)).toBe('2025-07-01T22:30:04.123000Z');
    expect(formatTimestamp(a + 1)).toBe('2025-07-01T22:30:04.124000Z');
    expect(formatTimestamp(a)).toBe('2025-07-01T22:30:04.123000Z');
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(() => formatTimestamp(Number.NaN)).toThrow(RangeError);
    expect(() => formatTimestamp(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips through timestampToEpochMs and sorts as time does', () => {
    const times = [Date.UTC(2024, 11, 31, 23, 59, 59, 999), Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 1, 0, 0, 0, 1)];
    const texts = times.map(formatTimestamp);
    expect(texts.every(isTimestamp)).toBe(true);
    expect(texts.map(timestampToEpochMs)).toEqual(times);
    expect([...texts].sort()).toEqual(texts);
    expect(isTimestamp('2025-07-01T22:30:04.123Z')).toBe(false);
  });
});
