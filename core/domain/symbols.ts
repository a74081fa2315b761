/**
 * Symbol normalisation and classification (SPEC.md e.5). These are the reference system's
 * rules, kept so that imported data classifies the same way.
 */
import { makeIsoDate, type IsoDate } from './iso-date';

export type InvestmentClass = 'PUBLIC' | 'OPTIONS' | 'PRIVATE';

/** Canonical form: upper case, trimmed, '.' and '/' replaced by '-' (BRK.B -> BRK-B). */
export function canonicalSymbol(raw: string): string {
  return raw.trim().toUpperCase().replace(/[./]/g, '-');
}

/**
 * A well-formed canonical symbol: 1 to 32 characters, upper-case letters, digits, '-', '_' and
 * '=' (BRK-B, HOME_EQUITY, GC=F, option contracts), with an optional leading '^' (^VIX).
 * Anything else (spaces, punctuation such as '!' or '$') is no symbol any source can price.
 */
export function isWellFormedSymbol(symbol: string): boolean {
  return /^\^?[A-Z0-9][A-Z0-9_=-]{0,30}$/.test(symbol);
}

const PRIVATE_LOOKING = new Set([
  'HOME_EQUITY', 'TREASURY_BILLS', 'CRYPTO_BTC_ETH', 'TWO_SIGMA_FUND', 'A16Z_VC_FUND', 'STARWOOD_REIT',
  'BX_PRIVATE_EQUITY', 'RENTAL_SFH', 'ART_COLLECTIBLES', 'RENTAL_CONDO', 'MONEY_MARKET', 'EQ5D6A2D8F',
]);

/** Symbols no provider can price: never requested, never generated. */
export function isPrivateLookingSymbol(symbol: string): boolean {
  return (
    PRIVATE_LOOKING.has(symbol) ||
    symbol.startsWith('FO_') ||
    symbol.startsWith('EQ_') ||
    symbol.includes('_') ||
    /^EQ[0-9A-F]{8,}$/.test(symbol)
  );
}

const OPTION_RE = /^([A-Z]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

export interface OptionContract {
  readonly root: string;
  readonly expiry: IsoDate;
  readonly right: 'C' | 'P';
  readonly strike: number;
}

export function isOptionContractSymbol(symbol: string): boolean {
  return OPTION_RE.test(symbol);
}

/** Parses an OCC-style contract symbol (root, YYMMDD with year 20YY, C/P, strike x 1000). */
export function parseOptionContract(symbol: string): OptionContract | null {
  const m = OPTION_RE.exec(symbol);
  if (!m) return null;
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return {
    root: m[1]!,
    expiry: makeIsoDate(2000 + Number(m[2]), month, day),
    right: m[5] as 'C' | 'P',
    strike: Number(m[6]) / 1000,
  };
}

const PRIVATE_MARKERS = ['PRIVATE', 'FUND', '_VC_', '_PE_', 'REIT', 'SIGMA', 'HOME_', 'RENTAL_', 'ART_', 'CRYPTO_', 'TREASURY', 'MONEY_MARKET', 'FO_'];

/** Class for rows that lack one (import and seeding). PRIVATE markers are checked first. */
export function classifySymbol(symbol: string): InvestmentClass {
  if (PRIVATE_MARKERS.some((m) => symbol.includes(m))) return 'PRIVATE';
  if (isOptionContractSymbol(symbol)) return 'OPTIONS';
  return 'PUBLIC';
}

/** e.5's private subtype rules, in order: the first whose marker the symbol contains gives the subtype. */
const PRIVATE_SUBTYPES: readonly (readonly [readonly string[], string])[] = [
  [['PRIVATE_EQUITY', 'BX'], 'PRIVATE_EQUITY'],
  [['VC', 'A16Z'], 'VENTURE_CAPITAL'],
  [['REIT', 'STARWOOD'], 'PRIVATE_REIT'],
  [['FUND', 'SIGMA'], 'HEDGE_FUND'],
];

/** Subtype of a PRIVATE row that lacks one (import and seeding, e.5), or null when no rule matches. */
export function privateSubtype(symbol: string): string | null {
  return PRIVATE_SUBTYPES.find(([markers]) => markers.some((m) => symbol.includes(m)))?.[1] ?? null;
}

/** The eight factor ETFs every date needs (SPEC.md e.2). */
export const FACTOR_ETFS = ['SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT'] as const;
export type FactorEtf = (typeof FACTOR_ETFS)[number];
