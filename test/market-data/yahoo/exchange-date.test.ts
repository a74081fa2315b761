import { describe, expect, it } from 'vitest';
import { exchangeDateFormatter } from '../../../market-data/yahoo/exchange-date';

describe('exchangeDateFormatter: the exchange-zone calendar date of an instant (SPEC e.7)', () => {
  // Provenance: hand-computed from the zones' UTC offsets (tz database): New York EST -5 h,
  // EDT -4 h (from 2024-03-10 07:00 UTC); Sydney AEDT +11 h; Tokyo +9 h.
  it.each([
    ['2024-01-12T14:30:00Z', 'America/New_York', '2024-01-12', '09:30 EST, the usual bar time'],
    ['2024-01-13T04:30:00Z', 'America/New_York', '2024-01-12', '23:30 EST: UTC date is the next day'],
    ['2024-01-13T05:00:00Z', 'America/New_York', '2024-01-13', 'midnight EST'],
    ['2024-03-10T04:30:00Z', 'America/New_York', '2024-03-09', '23:30 EST, the night DST starts'],
    ['2024-07-01T03:59:00Z', 'America/New_York', '2024-06-30', '23:59 EDT'],
    ['2024-07-01T04:00:00Z', 'America/New_York', '2024-07-01', 'midnight EDT'],
    ['2024-01-11T23:00:00Z', 'Australia/Sydney', '2024-01-12', '10:00 AEDT: UTC date is the previous day'],
    ['2024-01-12T00:00:00Z', 'Asia/Tokyo', '2024-01-12', '09:00 JST'],
  ])('%s in %s -> %s (%s)', (instant, zone, expected) => {
    const f = exchangeDateFormatter(zone);
    expect(f.fellBack).toBe(false);
    expect(f.dateOf(Date.parse(instant))).toBe(expected);
  });

  it.each([[undefined], [null], [''], ['  '], ['Mars/Olympus_Mons']])('falls back to America/New_York for %j', (zone) => {
    const f = exchangeDateFormatter(zone);
    expect(f).toMatchObject({ timeZone: 'America/New_York', fellBack: true });
    expect(f.dateOf(Date.parse('2024-01-13T04:30:00Z'))).toBe('2024-01-12');
  });

  it('invariant: the date never differs from the UTC date by more than one day', () => {
    const zones = ['America/New_York', 'Australia/Sydney', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
    for (const zone of zones) {
      const f = exchangeDateFormatter(zone);
      for (let t = Date.parse('2024-01-01T00:00:00Z'); t < Date.parse('2024-12-31T00:00:00Z'); t += 7 * 3_600_000 + 13 * 60_000) {
        const utc = new Date(t).toISOString().slice(0, 10);
        const days = (Date.parse(f.dateOf(t)) - Date.parse(utc)) / 86_400_000;
        expect(Math.abs(days)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('throws on a non-finite instant (a bug, not an answer)', () => {
    expect(() => exchangeDateFormatter('America/New_York').dateOf(Number.NaN)).toThrow(RangeError);
  });
});
