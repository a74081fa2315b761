/** A PriceLookup over a plain map, for calculation tests (the engine uses PriceTable). */
import { previousTradingDay } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { PriceHit, PriceLookup } from '../../core/domain/price-lookup';

export class MapPriceLookup implements PriceLookup {
  private readonly closes = new Map<string, number>();

  set(symbol: string, d: IsoDate, close: number): void {
    this.closes.set(`${symbol}|${d}`, close);
  }

  lookup(symbol: string, d: IsoDate, fallbackDays: number): PriceHit | null {
    const exact = this.closes.get(`${symbol}|${d}`);
    if (exact !== undefined && exact > 0) return { price: exact, date: d, source: 'exact' };
    let day = d;
    for (let i = 0; i < fallbackDays; i++) {
      day = previousTradingDay(day);
      const v = this.closes.get(`${symbol}|${day}`);
      if (v !== undefined && v > 0) return { price: v, date: day, source: 'fallback' };
    }
    return null;
  }
}
