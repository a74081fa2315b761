/**
 * The mark of one lot on D (SPEC.md d.2): price and provenance by class, the option model
 * mark with Greeks, market value, cost basis, unrealized P&L and the day's P&L contribution
 * (d.3). Pure: prices come through a PriceLookup, history through its arguments.
 *
 * Provenance: PUBLIC exact / fallback / missing; PRIVATE always its entry price ('entry');
 * OPTIONS a contract close when one exists, else a Black–Scholes mark from the underlying
 * ('model'), else 'missing'. Money is rounded to cents on the row; the contribution is not.
 */
import { calendarDaysBetween, type IsoDate } from '../domain/iso-date';
import type { LotMark, PriceSource } from '../domain/mark';
import { roundCents } from '../domain/money';
import { isActiveOn, isOptionType, multiplierOf, typeSign, type Lot } from '../domain/portfolio';
import type { PriceLookup } from '../domain/price-lookup';
import { isPrivateLookingSymbol, parseOptionContract } from '../domain/symbols';
import { blackScholes, type OptionRight } from './black-scholes';
import { choosePrevious, lotPnl, type PreviousMark } from './lot-pnl';
import type { LotAsOf } from './lot-quantity';

export interface MarkSettings {
  readonly fallbackTradingDays: number;
  readonly impliedVol: number;
  readonly riskFreeRate: number;
}

export interface MarkLotInput {
  readonly lot: Lot;
  readonly asOf: Extract<LotAsOf, { ok: true }>;
  readonly d: IsoDate;
  readonly prices: PriceLookup;
  readonly settings: MarkSettings;
  /** Latest earlier mark of this lot with a price. */
  readonly previousMark: PreviousMark | null;
  /** The portfolio's baseline for marks (earliest mark date, or D). */
  readonly baseline: IsoDate;
  /** For zero-premium options: the price of the lot's first priced mark before D, if any. */
  readonly firstMarkPrice: number | null;
}

interface PriceChoice {
  price: number | null;
  priceDate: IsoDate | null;
  source: PriceSource;
  underlying: { price: number; date: IsoDate } | null;
  greeks: { delta: number; gamma: number; theta: number; vega: number } | null;
  timeToExpiry: number | null;
  flags: string[];
}

function optionRight(lot: Lot): OptionRight {
  return lot.positionType === 'LC' || lot.positionType === 'SC' ? 'call' : 'put';
}

function priceOption(input: MarkLotInput): PriceChoice {
  const { lot, d, prices, settings } = input;
  const flags: string[] = [];
  const right = optionRight(lot);
  const contract = parseOptionContract(lot.symbol);
  if (contract) {
    if ((contract.right === 'C') !== (right === 'call')) flags.push('option_right_mismatch');
    if (lot.expirationDate !== null && contract.expiry !== lot.expirationDate) flags.push('contract_expiry_mismatch');
    if (lot.strikePrice !== null && Math.abs(contract.strike - lot.strikePrice) > 1e-6) flags.push('contract_strike_mismatch');
  }
  const expiry = lot.expirationDate ?? contract?.expiry ?? null;
  const strike = lot.strikePrice ?? contract?.strike ?? null;
  const underlyingSymbol = lot.underlyingSymbol ?? contract?.root ?? null;
  const days = expiry === null ? 0 : Math.max(0, calendarDaysBetween(d, expiry));
  const t = days / 365;
  const s = underlyingSymbol ? prices.lookup(underlyingSymbol, d, settings.fallbackTradingDays) : null;
  if (expiry === d) flags.push('expired_settled');
  const own = prices.lookup(lot.symbol, d, settings.fallbackTradingDays);
  const model =
    s && strike !== null ? blackScholes({ spot: s.price, strike, timeYears: t, rate: settings.riskFreeRate, vol: settings.impliedVol, right }) : null;
  const underlying = s ? { price: s.price, date: s.date } : null;
  if (s && (!model || !model.ok)) flags.push('model_inputs_invalid');
  const greeks = model && model.ok ? { delta: model.delta, gamma: model.gamma, theta: model.theta, vega: model.vega } : null;
  if (own) return { price: own.price, priceDate: own.date, source: own.source, underlying, greeks, timeToExpiry: t, flags };
  if (model && model.ok) return { price: model.price, priceDate: d, source: 'model', underlying, greeks, timeToExpiry: t, flags };
  if (strike === null || expiry === null) flags.push('model_inputs_invalid');
  return { price: null, priceDate: null, source: 'missing', underlying, greeks: null, timeToExpiry: t, flags };
}

function choosePrice(input: MarkLotInput): PriceChoice {
  const { lot, d, prices, settings } = input;
  if (lot.investmentClass === 'PRIVATE' || isPrivateLookingSymbol(lot.symbol)) {
    return { price: lot.entryPrice, priceDate: d, source: 'entry', underlying: null, greeks: null, timeToExpiry: null, flags: [] };
  }
  if (lot.investmentClass === 'OPTIONS' || isOptionType(lot.positionType)) return priceOption(input);
  const hit = prices.lookup(lot.symbol, d, settings.fallbackTradingDays);
  if (hit) return { price: hit.price, priceDate: hit.date, source: hit.source, underlying: null, greeks: null, timeToExpiry: null, flags: [] };
  return { price: null, priceDate: null, source: 'missing', underlying: null, greeks: null, timeToExpiry: null, flags: [] };
}

export function markLot(input: MarkLotInput): LotMark {
  const { lot, asOf, d } = input;
  const multiplier = multiplierOf(lot);
  const sign = typeSign(lot.positionType);
  const choice = choosePrice(input);
  const flags = [...asOf.flags, ...choice.flags];
  const isOption = lot.investmentClass === 'OPTIONS' || isOptionType(lot.positionType);
  const zeroPremium = isOption && lot.entryPrice === 0;
  if (zeroPremium) flags.push('zero_entry_price');
  if (isOption && lot.expirationDate !== null && lot.expirationDate < lot.entryDate) flags.push('expiry_before_entry');

  const prev = choosePrevious({
    previousMark: input.previousMark,
    entryDate: lot.entryDate,
    entryPrice: lot.entryPrice,
    baseline: input.baseline,
    zeroPremiumOption: zeroPremium,
    priceD: choice.price,
    d,
  });
  const pnl = lotPnl({ priceD: choice.price, prev: prev.prev, qD: asOf.qD, multiplier, sign, closes: asOf.closesToday });

  // Zero-premium options take their first mark's price as the entry (d.2.6).
  const effectiveEntry = zeroPremium ? (input.firstMarkPrice ?? choice.price ?? 0) : lot.entryPrice;
  const marketValue = choice.price === null ? null : roundCents(asOf.qD * choice.price * multiplier);
  const costBasis = roundCents(asOf.qD * effectiveEntry * multiplier);
  return {
    positionId: lot.id,
    portfolioId: lot.portfolioId,
    markDate: d,
    isActive: isActiveOn(lot, d),
    quantity: asOf.qD,
    multiplier,
    price: choice.price,
    priceDate: choice.priceDate,
    priceSource: choice.source,
    marketValue,
    costBasis,
    unrealizedPnl: marketValue === null ? null : roundCents(marketValue - costBasis),
    prevPrice: prev.prev,
    prevPriceDate: prev.prevDate,
    prevBasis: prev.basis,
    closedQuantity: asOf.closedQuantity,
    closingPnl: pnl.closing,
    dailyPnl: pnl.daily,
    underlyingPrice: choice.underlying?.price ?? null,
    underlyingPriceDate: choice.underlying?.date ?? null,
    impliedVol: isOption ? input.settings.impliedVol : null,
    riskFreeRate: isOption ? input.settings.riskFreeRate : null,
    timeToExpiry: choice.timeToExpiry,
    delta: choice.greeks?.delta ?? null,
    gamma: choice.greeks?.gamma ?? null,
    theta: choice.greeks?.theta ?? null,
    vega: choice.greeks?.vega ?? null,
    flags,
  };
}
