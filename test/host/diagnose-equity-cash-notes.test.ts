/**
 * `diagnose equity-cash` notes what matters on the date it diagnoses (SPEC.md i.2): a
 * zero-premium option lot is noted on the dates it is held, not a year after it expired (a
 * tester saw the demo's eight expired calls and puts listed for 2026).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { diagnoseEquityCash } from '../../host/diagnostics/equity-cash';
import { openDatabase } from '../../db/open-database';
import { seedDemoDb } from '../support/demo-db';

const NOW = '2026-11-27T23:00:00Z';

function zeroPremiumNotes(date: string): string[] {
  const db = openDatabase(path);
  try {
    return diagnoseEquityCash(db, { date: date as IsoDate, portfolioIds: [] })
      .lines.flatMap((l) => l.notes)
      .filter((n) => n.startsWith('zero-premium option lot'))
      .map((n) => /\((\S+)\)$/.exec(n)![1]!)
      .sort();
  } finally {
    db.close();
  }
}

const path = seedDemoDb(NOW);

describe('diagnose equity-cash notes', () => {
  it("lists the demo's zero-premium options held on the date, and none once they have expired", () => {
    // The demo hedge fund opens eight zero-premium options on 2025-06-30 (expiries 2025-07-16 .. 2025-10-17).
    expect(zeroPremiumNotes('2025-07-01')).toHaveLength(8);
    expect(zeroPremiumNotes('2025-09-02')).toEqual(['META250919P00450000', 'MSFT250919P00380000', 'NVDA251017C00800000', 'SPY250919C00460000']);
    expect(zeroPremiumNotes('2026-11-27')).toEqual([]);
  });
});
