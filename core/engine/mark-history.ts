/**
 * The priced marks of the run's lots, in memory (SPEC.md d.3: a lot's previous mark is its
 * latest mark strictly before D with a price; a zero-premium option's effective entry is its
 * first priced mark). Loaded from the store once per run, then kept equal to the store by
 * recording every portfolio-date's marks as they are written; lookups are binary searches
 * instead of one indexed query per lot and date.
 */
import { lowerBound } from '../calc/lower-bound';
import type { IsoDate } from '../domain/iso-date';
import type { PreviousMarkRecord } from '../ports/store';

export interface PricedMarks {
  /** Ascending mark dates with a non-null price. */
  readonly dates: IsoDate[];
  readonly prices: number[];
}

export type PricedMarksLoader = (lotIds: readonly string[]) => Map<string, PricedMarks>;

export class MarkHistory {
  private readonly lots = new Map<string, PricedMarks>();

  constructor(private readonly load: PricedMarksLoader) {}

  /** Loads the lots not seen yet (one store read for all of them). */
  ensure(lotIds: readonly string[]): void {
    const missing = lotIds.filter((id) => !this.lots.has(id));
    if (missing.length === 0) return;
    const loaded = this.load(missing);
    for (const id of missing) this.lots.set(id, loaded.get(id) ?? { dates: [], prices: [] });
  }

  /** The latest priced mark strictly before D. */
  previous(lotId: string, d: IsoDate): PreviousMarkRecord | null {
    const h = this.lots.get(lotId);
    if (!h) return null;
    const i = lowerBound(h.dates, d) - 1;
    return i >= 0 ? { price: h.prices[i]!, date: h.dates[i]! } : null;
  }

  /** The price of the first priced mark strictly before D. */
  firstPrice(lotId: string, d: IsoDate): number | null {
    const h = this.lots.get(lotId);
    return h && h.dates.length > 0 && h.dates[0]! < d ? h.prices[0]! : null;
  }

  /** Records a written mark (a null price removes the date from the priced history). */
  record(lotId: string, d: IsoDate, price: number | null): void {
    let h = this.lots.get(lotId);
    if (!h) this.lots.set(lotId, (h = { dates: [], prices: [] }));
    const i = lowerBound(h.dates, d);
    const exists = i < h.dates.length && h.dates[i] === d;
    if (price === null) {
      if (exists) {
        h.dates.splice(i, 1);
        h.prices.splice(i, 1);
      }
    } else if (exists) h.prices[i] = price;
    else {
      h.dates.splice(i, 0, d);
      h.prices.splice(i, 0, price);
    }
  }
}
