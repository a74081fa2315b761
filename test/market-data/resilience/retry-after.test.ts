import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../../market-data/resilience/retry-after';

const NOW = Date.parse('Wed, 21 Oct 2015 07:27:00 GMT');

describe('parseRetryAfterMs (RFC 9110 10.2.3)', () => {
  // Provenance: hand-computed from the RFC's two forms; the date example is the RFC's own.
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['  5 ', 5_000],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 60_000],
    ['Wednesday, 21-Oct-15 07:28:30 GMT', 90_000], // obsolete RFC 850 form, still allowed by 9110
    ['Wed, 21 Oct 2015 07:00:00 GMT', 0], // in the past: no wait
  ])('%j -> %d ms', (header, expected) => {
    expect(parseRetryAfterMs(header, NOW)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['soon'], ['-5'], ['1.5'], ['2015-10-21']])('%j is unreadable -> null', (header) => {
    expect(parseRetryAfterMs(header, NOW)).toBeNull();
  });
});
