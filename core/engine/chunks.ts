/**
 * Chunking (SPEC.md g.5): consecutive calendar windows of N days starting at the first date;
 * each chunk holds the trading days of its window. N = 0 means one chunk.
 */
import { calendarDaysBetween, type IsoDate } from '../domain/iso-date';

export function chunkDates(dates: readonly IsoDate[], chunkDays: number): IsoDate[][] {
  if (dates.length === 0) return [];
  if (chunkDays <= 0) return [[...dates]];
  const chunks: IsoDate[][] = [];
  const first = dates[0]!;
  for (const d of dates) {
    const idx = Math.floor(calendarDaysBetween(first, d) / chunkDays);
    while (chunks.length <= idx) chunks.push([]);
    chunks[idx]!.push(d);
  }
  return chunks.filter((c) => c.length > 0);
}
