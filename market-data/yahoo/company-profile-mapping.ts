/**
 * CompanyProfile from a yahoo-finance2 `quoteSummary()` result with the modules price,
 * summaryDetail and (when available) assetProfile, per the SPEC.md e.7 table:
 *
 *   company_name   price.longName, else price.shortName
 *   is_etf/is_fund price.quoteType === 'ETF' / 'MUTUALFUND'
 *   exchange       price.exchangeName
 *   market_cap     summaryDetail.marketCap, else price.marketCap
 *   beta, pe_ratio, forward_pe, dividend_yield, week_52_high/low   summaryDetail.*
 *   sector, industry, country, employees, website   assetProfile.*
 *   description    assetProfile.longBusinessSummary, cut to 1,000 characters
 *
 * Blank strings and non-finite numbers become null. The zod schema lists only the fields used;
 * anything else in the result is ignored.
 */
import { z } from 'zod';
import { cutToChars } from '../../core/domain/text-length';
import { PROFILE_DESCRIPTION_MAX_CHARS, type CompanyProfile } from '../../core/ports/market-data';

const text = z
  .string()
  .nullish()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v.trim()));
// z.number() refuses NaN and ±Infinity; yahoo-finance2 turns Yahoo's "Infinity" (seen for
// P/E ratios) into the number Infinity, so accept any number here and null the non-finite.
const num = z
  .custom<number>((v) => typeof v === 'number', { message: 'expected a number' })
  .nullish()
  .transform((v) => (v === undefined || v === null || !Number.isFinite(v) ? null : v));

export const quoteSummaryProfileSchema = z.object({
  price: z
    .object({
      longName: text,
      shortName: text,
      quoteType: text,
      exchangeName: text,
      marketCap: num,
    })
    .nullish(),
  summaryDetail: z
    .object({
      marketCap: num,
      beta: num,
      trailingPE: num,
      forwardPE: num,
      dividendYield: num,
      fiftyTwoWeekHigh: num,
      fiftyTwoWeekLow: num,
    })
    .nullish(),
  assetProfile: z
    .object({
      sector: text,
      industry: text,
      country: text,
      website: text,
      fullTimeEmployees: num,
      longBusinessSummary: text,
    })
    .nullish(),
});

export type ProfileParse =
  | { readonly ok: true; readonly profile: CompanyProfile }
  | { readonly ok: false; readonly kind: 'invalid' | 'empty'; readonly message: string };

export function profileFromQuoteSummary(symbol: string, raw: unknown, dataSource = 'yahoo'): ProfileParse {
  const parsed = quoteSummaryProfileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, kind: 'invalid', message: `unexpected quoteSummary result: ${z.prettifyError(parsed.error)}` };
  const { price, summaryDetail: detail, assetProfile: asset } = parsed.data;
  if (!price && !detail && !asset) return { ok: false, kind: 'empty', message: 'quoteSummary returned none of the requested modules' };
  const employees = asset?.fullTimeEmployees ?? null;
  const description = asset?.longBusinessSummary ?? null;
  return {
    ok: true,
    profile: {
      symbol,
      companyName: price?.longName ?? price?.shortName ?? null,
      sector: asset?.sector ?? null,
      industry: asset?.industry ?? null,
      exchange: price?.exchangeName ?? null,
      country: asset?.country ?? null,
      marketCap: detail?.marketCap ?? price?.marketCap ?? null,
      description: description === null ? null : cutToChars(description, PROFILE_DESCRIPTION_MAX_CHARS),
      isEtf: price?.quoteType === 'ETF',
      isFund: price?.quoteType === 'MUTUALFUND',
      beta: detail?.beta ?? null,
      peRatio: detail?.trailingPE ?? null,
      forwardPe: detail?.forwardPE ?? null,
      dividendYield: detail?.dividendYield ?? null,
      week52High: detail?.fiftyTwoWeekHigh ?? null,
      week52Low: detail?.fiftyTwoWeekLow ?? null,
      employees: employees === null ? null : Math.round(employees),
      website: asset?.website ?? null,
      dataSource,
    },
  };
}
