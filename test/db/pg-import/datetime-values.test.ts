/**
 * date / timestamp / timestamptz conversion (SPEC.md j.7, a.3). Expected values are
 * hand-computed (offset subtracted, carries across day, month and year); the random test
 * checks against a second, independent algorithm (JavaScript Date in UTC, fine for years
 * 1900-2100); the committed oracle times-utc.jsonl is PostgreSQL's to_char in a UTC session.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { civilFromDays, convertDate, convertTimestamp, convertTimestamptz, daysFromCivil } from '../../../db/pg-import/datetime-values';
import type { ValueConverter } from '../../../db/pg-import/value-issue';
import { COMMITTED, readJsonl, readOracle } from '../../support/pg-fixtures';
import { run } from '../../support/issue-collector';

describe('date', () => {
  const cases: [string, string | null, string[]][] = [
    ['2024-02-29', '2024-02-29', []],
    ['0001-01-01', '0001-01-01', []],
    ['9999-12-31', '9999-12-31', []],
    ['2023-02-29', null, ['invalid_value']],
    ['5874897-12-31', null, ['date_out_of_range']],
    ['10000-01-01', null, ['date_out_of_range']],
    ['0044-03-15 BC', null, ['date_out_of_range']],
    ['infinity', null, ['date_out_of_range']],
    ['-infinity', null, ['date_out_of_range']],
    ['2024-1-1', null, ['invalid_value']],
  ];
  it.each(cases)('%s', (text, value, codes) => {
    expect(run(convertDate, text)).toEqual({ value, codes });
  });
});

describe('timestamptz → UTC with six fraction digits', () => {
  const cases: [string, string | null, string[]][] = [
    ['2024-01-02 03:04:05.123456+00', '2024-01-02T03:04:05.123456Z', []],
    ['2024-01-02 03:04:05+00', '2024-01-02T03:04:05.000000Z', []],
    ['2024-01-02 03:04:05.5+00', '2024-01-02T03:04:05.500000Z', []],
    ['2024-12-31 23:30:00-05', '2025-01-01T04:30:00.000000Z', []], // +5 h crosses the year
    ['2024-12-31 18:29:59.5+05:30', '2024-12-31T12:59:59.500000Z', []],
    ['2025-01-01 01:00:00+02:30', '2024-12-31T22:30:00.000000Z', []],
    ['1890-01-01 05:53:28+05:53:28', '1890-01-01T00:00:00.000000Z', []], // local mean time offset
    ['2100-03-01 00:00:00+01', '2100-02-28T23:00:00.000000Z', []], // 2100 is not a leap year
    ['2000-03-01 00:00:00+01', '2000-02-29T23:00:00.000000Z', []], // 2000 is
    ['0001-01-01 00:30:00+01', null, ['date_out_of_range']], // UTC falls in 1 BC
    ['9999-12-31 23:59:59.999999-01', null, ['date_out_of_range']], // UTC falls in 10000
    ['0044-03-15 12:00:00+00 BC', null, ['date_out_of_range']],
    ['294276-12-31 23:59:59.999999+00', null, ['date_out_of_range']],
    ['infinity', null, ['date_out_of_range']],
    ['2024-13-01 00:00:00+00', null, ['invalid_value']],
    ['2024-01-01 25:00:00+00', null, ['invalid_value']],
  ];
  it.each(cases)('%s', (text, value, codes) => {
    expect(run(convertTimestamptz, text)).toEqual({ value, codes });
  });

  it('agrees with an independent algorithm (JavaScript Date) on random instants and offsets', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let i = 0; i < 3000; i++) {
      const utcMs = Date.UTC(1900, 0, 1) + Math.floor(rnd() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1)) / 1000) * 1000;
      const offMin = (Math.floor(rnd() * 28 * 60) - 14 * 60) * (rnd() < 0.2 ? 1 : 0) + Math.floor(rnd() * 27 - 13) * 60;
      const local = new Date(utcMs + offMin * 60000);
      const micros = Math.floor(rnd() * 1e6);
      const sign = offMin < 0 ? '-' : '+';
      const a = Math.abs(offMin);
      const off = a % 60 === 0 ? `${sign}${p(a / 60)}` : `${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
      const text = `${p(local.getUTCFullYear(), 4)}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}.${p(micros, 6)}${off}`;
      const expected = `${new Date(utcMs).toISOString().slice(0, 19)}.${p(micros, 6)}Z`;
      expect(run(convertTimestamptz, text).value).toBe(expected);
    }
  });

  it('matches PostgreSQL to_char in a UTC session (committed oracle)', () => {
    const rows = readOracle(COMMITTED, 'fixture', 'public', 'awkward_times');
    const oracle = new Map(readJsonl<(string | number | null)[]>(join(COMMITTED, 'oracle', 'times-utc.jsonl')).map((r) => [String(r[0]), r]));
    let compared = 0;
    for (const r of rows) {
      const o = oracle.get(r[0]!)!;
      const pairs: [string | null | undefined, ValueConverter, unknown][] = [
        [r[4], convertTimestamptz, o[1]],
        [r[5], convertTimestamptz, o[2]],
        [r[3], convertTimestamp, o[3]],
        [r[2], convertDate, o[4]],
      ];
      for (const [text, conv, expected] of pairs) {
        if (text === null || text === undefined) continue;
        const ours = run(conv, text).value;
        expect(ours).toBe(expected);
        if (ours !== null) compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });
});

describe('timestamp without time zone', () => {
  it('keeps the wall time with six fraction digits', () => {
    expect(run(convertTimestamp, '2024-01-01 00:00:00')).toEqual({ value: '2024-01-01 00:00:00.000000', codes: [] });
    expect(run(convertTimestamp, '2000-02-29 23:59:59.000001')).toEqual({ value: '2000-02-29 23:59:59.000001', codes: [] });
    expect(run(convertTimestamp, '0044-03-15 12:00:00 BC').codes).toEqual(['date_out_of_range']);
    expect(run(convertTimestamp, '-infinity').codes).toEqual(['date_out_of_range']);
  });
});

describe('civil day arithmetic', () => {
  it('round-trips every day from year 1 to 9999 at month boundaries, and fixes known epochs', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017); // 30 years, 7 leap days, Jan + Feb 2000
    expect(daysFromCivil(1, 1, 1)).toBe(-719162);
    for (let y = 1; y <= 9999; y += 7) {
      for (const m of [1, 2, 3, 12]) {
        expect(civilFromDays(daysFromCivil(y, m, 1))).toEqual([y, m, 1]);
      }
    }
  });
});
