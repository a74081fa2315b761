import { describe, expect, it } from 'vitest';
import { CalendarRangeError } from '../../../core/calendar/calendar-range-error';
import { holidays } from '../../../core/calendar/nyse-holidays';
import { dayOfWeek } from '../../../core/domain/iso-date';

/** Verbatim copy of SPEC.md Appendix A (NYSE full-day closures on weekdays, 2000-2030). */
const APPENDIX_A = `
| 2000 | 01-17 JH, 02-21 PD, 04-21 GF, 05-29 MD, 07-04 ID, 09-04 LD, 11-23 TG, 12-25 XM | 8 |
| 2001 | 01-01 NY, 01-15 JH, 02-19 PD, 04-13 GF, 05-28 MD, 07-04 ID, 09-03 LD, 09-11 SP, 09-12 SP, 09-13 SP, 09-14 SP, 11-22 TG, 12-25 XM | 13 |
| 2002 | 01-01 NY, 01-21 JH, 02-18 PD, 03-29 GF, 05-27 MD, 07-04 ID, 09-02 LD, 11-28 TG, 12-25 XM | 9 |
| 2003 | 01-01 NY, 01-20 JH, 02-17 PD, 04-18 GF, 05-26 MD, 07-04 ID, 09-01 LD, 11-27 TG, 12-25 XM | 9 |
| 2004 | 01-01 NY, 01-19 JH, 02-16 PD, 04-09 GF, 05-31 MD, 06-11 SP, 07-05 ID, 09-06 LD, 11-25 TG, 12-24 XM | 10 |
| 2005 | 01-17 JH, 02-21 PD, 03-25 GF, 05-30 MD, 07-04 ID, 09-05 LD, 11-24 TG, 12-26 XM | 8 |
| 2006 | 01-02 NY, 01-16 JH, 02-20 PD, 04-14 GF, 05-29 MD, 07-04 ID, 09-04 LD, 11-23 TG, 12-25 XM | 9 |
| 2007 | 01-01 NY, 01-02 SP, 01-15 JH, 02-19 PD, 04-06 GF, 05-28 MD, 07-04 ID, 09-03 LD, 11-22 TG, 12-25 XM | 10 |
| 2008 | 01-01 NY, 01-21 JH, 02-18 PD, 03-21 GF, 05-26 MD, 07-04 ID, 09-01 LD, 11-27 TG, 12-25 XM | 9 |
| 2009 | 01-01 NY, 01-19 JH, 02-16 PD, 04-10 GF, 05-25 MD, 07-03 ID, 09-07 LD, 11-26 TG, 12-25 XM | 9 |
| 2010 | 01-01 NY, 01-18 JH, 02-15 PD, 04-02 GF, 05-31 MD, 07-05 ID, 09-06 LD, 11-25 TG, 12-24 XM | 9 |
| 2011 | 01-17 JH, 02-21 PD, 04-22 GF, 05-30 MD, 07-04 ID, 09-05 LD, 11-24 TG, 12-26 XM | 8 |
| 2012 | 01-02 NY, 01-16 JH, 02-20 PD, 04-06 GF, 05-28 MD, 07-04 ID, 09-03 LD, 10-29 SP, 10-30 SP, 11-22 TG, 12-25 XM | 11 |
| 2013 | 01-01 NY, 01-21 JH, 02-18 PD, 03-29 GF, 05-27 MD, 07-04 ID, 09-02 LD, 11-28 TG, 12-25 XM | 9 |
| 2014 | 01-01 NY, 01-20 JH, 02-17 PD, 04-18 GF, 05-26 MD, 07-04 ID, 09-01 LD, 11-27 TG, 12-25 XM | 9 |
| 2015 | 01-01 NY, 01-19 JH, 02-16 PD, 04-03 GF, 05-25 MD, 07-03 ID, 09-07 LD, 11-26 TG, 12-25 XM | 9 |
| 2016 | 01-01 NY, 01-18 JH, 02-15 PD, 03-25 GF, 05-30 MD, 07-04 ID, 09-05 LD, 11-24 TG, 12-26 XM | 9 |
| 2017 | 01-02 NY, 01-16 JH, 02-20 PD, 04-14 GF, 05-29 MD, 07-04 ID, 09-04 LD, 11-23 TG, 12-25 XM | 9 |
| 2018 | 01-01 NY, 01-15 JH, 02-19 PD, 03-30 GF, 05-28 MD, 07-04 ID, 09-03 LD, 11-22 TG, 12-05 SP, 12-25 XM | 10 |
| 2019 | 01-01 NY, 01-21 JH, 02-18 PD, 04-19 GF, 05-27 MD, 07-04 ID, 09-02 LD, 11-28 TG, 12-25 XM | 9 |
| 2020 | 01-01 NY, 01-20 JH, 02-17 PD, 04-10 GF, 05-25 MD, 07-03 ID, 09-07 LD, 11-26 TG, 12-25 XM | 9 |
| 2021 | 01-01 NY, 01-18 JH, 02-15 PD, 04-02 GF, 05-31 MD, 07-05 ID, 09-06 LD, 11-25 TG, 12-24 XM | 9 |
| 2022 | 01-17 JH, 02-21 PD, 04-15 GF, 05-30 MD, 06-20 JT, 07-04 ID, 09-05 LD, 11-24 TG, 12-26 XM | 9 |
| 2023 | 01-02 NY, 01-16 JH, 02-20 PD, 04-07 GF, 05-29 MD, 06-19 JT, 07-04 ID, 09-04 LD, 11-23 TG, 12-25 XM | 10 |
| 2024 | 01-01 NY, 01-15 JH, 02-19 PD, 03-29 GF, 05-27 MD, 06-19 JT, 07-04 ID, 09-02 LD, 11-28 TG, 12-25 XM | 10 |
| 2025 | 01-01 NY, 01-09 SP, 01-20 JH, 02-17 PD, 04-18 GF, 05-26 MD, 06-19 JT, 07-04 ID, 09-01 LD, 11-27 TG, 12-25 XM | 11 |
| 2026 | 01-01 NY, 01-19 JH, 02-16 PD, 04-03 GF, 05-25 MD, 06-19 JT, 07-03 ID, 09-07 LD, 11-26 TG, 12-25 XM | 10 |
| 2027 | 01-01 NY, 01-18 JH, 02-15 PD, 03-26 GF, 05-31 MD, 06-18 JT, 07-05 ID, 09-06 LD, 11-25 TG, 12-24 XM | 10 |
| 2028 | 01-17 JH, 02-21 PD, 04-14 GF, 05-29 MD, 06-19 JT, 07-04 ID, 09-04 LD, 11-23 TG, 12-25 XM | 9 |
| 2029 | 01-01 NY, 01-15 JH, 02-19 PD, 03-30 GF, 05-28 MD, 06-19 JT, 07-04 ID, 09-03 LD, 11-22 TG, 12-25 XM | 10 |
| 2030 | 01-01 NY, 01-21 JH, 02-18 PD, 04-19 GF, 05-27 MD, 06-19 JT, 07-04 ID, 09-02 LD, 11-28 TG, 12-25 XM | 10 |
`;

interface Row {
  year: number;
  closures: { date: string; code: string }[];
  count: number;
}

function parseAppendixA(text: string): Row[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cells = line.split('|').map((c) => c.trim());
      const year = Number(cells[1]);
      const closures = cells[2]!.split(',').map((entry) => {
        const [md, code] = entry.trim().split(' ');
        return { date: `${year}-${md}`, code: code! };
      });
      return { year, closures, count: Number(cells[3]) };
    });
}

const ROWS = parseAppendixA(APPENDIX_A);

describe('holidays(year) against SPEC.md Appendix A', () => {
  it('the transcribed table covers every year 2000..2030 and its counts are consistent', () => {
    expect(ROWS.map((r) => r.year)).toEqual(Array.from({ length: 31 }, (_, i) => 2000 + i));
    for (const r of ROWS) expect(r.closures.length).toBe(r.count);
  });

  it.each(ROWS.map((r) => [r.year, r] as const))('%i matches date by date and code by code', (year, row) => {
    expect(holidays(year).map((c) => ({ date: c.date, code: c.code }))).toEqual(row.closures);
  });
});

describe('holidays(year), explicit years', () => {
  it('2024', () => {
    expect(holidays(2024).map((c) => [c.date, c.name])).toEqual([
      ['2024-01-01', "New Year's Day"],
      ['2024-01-15', 'January holiday'],
      ['2024-02-19', "Presidents' Day"],
      ['2024-03-29', 'Good Friday'],
      ['2024-05-27', 'Memorial Day'],
      ['2024-06-19', 'Juneteenth'],
      ['2024-07-04', 'Independence Day'],
      ['2024-09-02', 'Labor Day'],
      ['2024-11-28', 'Thanksgiving Day'],
      ['2024-12-25', 'Christmas Day'],
    ]);
  });

  it('2025 (SPEC.md f.2 reference list, with the 2025-01-09 day of mourning)', () => {
    expect(holidays(2025).map((c) => c.date)).toEqual([
      '2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26',
      '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25',
    ]);
    const jan9 = holidays(2025).find((c) => c.date === '2025-01-09')!;
    expect(jan9.code).toBe('SP');
    expect(jan9.name).toMatch(/mourning/i);
  });

  it('2026 (Independence Day on a Saturday is observed Friday 07-03)', () => {
    expect(holidays(2026).map((c) => [c.date, c.code])).toEqual([
      ['2026-01-01', 'NY'],
      ['2026-01-19', 'JH'],
      ['2026-02-16', 'PD'],
      ['2026-04-03', 'GF'],
      ['2026-05-25', 'MD'],
      ['2026-06-19', 'JT'],
      ['2026-07-03', 'ID'],
      ['2026-09-07', 'LD'],
      ['2026-11-26', 'TG'],
      ['2026-12-25', 'XM'],
    ]);
  });

  it('special closures are all present with code SP', () => {
    const special = ['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02',
      '2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09'];
    const all = [];
    for (let y = 2000; y <= 2030; y++) all.push(...holidays(y).filter((c) => c.code === 'SP').map((c) => c.date));
    expect(all).toEqual(special);
  });

  it('New Year on Saturday closes no weekday; on Sunday closes Monday 01-02', () => {
    for (const y of [2000, 2005, 2011, 2022, 2028]) expect(holidays(y).some((c) => c.code === 'NY')).toBe(false);
    expect(holidays(2012).find((c) => c.code === 'NY')!.date).toBe('2012-01-02');
    expect(holidays(2023).find((c) => c.code === 'NY')!.date).toBe('2023-01-02');
    // 2021-12-31 (the Friday before New Year 2022 on a Saturday) stays open.
    expect(holidays(2021).some((c) => c.date === '2021-12-31')).toBe(false);
  });

  it('Juneteenth only from 2022, observed on Monday 2022-06-20 and Friday 2027-06-18', () => {
    expect(holidays(2021).some((c) => c.code === 'JT')).toBe(false);
    expect(holidays(2022).find((c) => c.code === 'JT')!.date).toBe('2022-06-20');
    expect(holidays(2027).find((c) => c.code === 'JT')!.date).toBe('2027-06-18');
  });

  it('invariant: every closure is a weekday, dates are sorted and unique', () => {
    for (let y = 2000; y <= 2030; y++) {
      const ds = holidays(y).map((c) => c.date);
      for (const d of ds) expect([1, 2, 3, 4, 5]).toContain(dayOfWeek(d));
      expect([...new Set(ds)].sort()).toEqual(ds);
    }
  });

  it('throws CalendarRangeError outside 2000..2030', () => {
    expect(() => holidays(1999)).toThrow(CalendarRangeError);
    expect(() => holidays(2031)).toThrow(CalendarRangeError);
  });
});
