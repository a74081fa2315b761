/**
 * Durations read in one style at every size (the Live ETA said "about 3m39s left" and then
 * "59 s left"): units spelled and spaced alike. Reference values are hand-computed.
 */
import { describe, expect, it } from 'vitest';
import { fmtDuration } from '../../../renderer/ui/format';

describe('fmtDuration', () => {
  it('writes milliseconds, seconds, minutes and hours in one style', () => {
    expect(fmtDuration(850)).toBe('850 ms');
    expect(fmtDuration(59_000)).toBe('59 s');
    expect(fmtDuration(59_499)).toBe('59 s');
    expect(fmtDuration(60_000)).toBe('1 min 00 s');
    expect(fmtDuration(219_000)).toBe('3 min 39 s');
    expect(fmtDuration(3_900_000)).toBe('1 h 05 min');
    expect(fmtDuration(null)).toBe('-');
    expect(fmtDuration(Number.NaN)).toBe('-');
  });
});
