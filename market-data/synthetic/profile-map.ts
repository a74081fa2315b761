/**
 * Appendix B.2: sector or kind of the demo symbols, so sector tags, sector buckets and the ETF
 * flag work offline. Symbols not listed get a sector drawn from 'params:<SYMBOL>'.
 */
import type { SectorName } from './stock-params';

export type ProfileKind =
  | { readonly kind: 'company'; readonly sector: SectorName }
  | { readonly kind: 'etf' }
  | { readonly kind: 'fund' }
  | { readonly kind: 'index' };

const SECTOR_MEMBERS: readonly [SectorName, readonly string[]][] = [
  ['Technology', ['AAPL', 'MSFT', 'NVDA', 'AMD', 'SHOP', 'ZM', 'ASML', 'AVGO']],
  ['Communication Services', ['GOOGL', 'META', 'NFLX', 'ROKU']],
  ['Consumer Cyclical', ['AMZN', 'TSLA', 'HD', 'F', 'PTON', 'LULU']],
  ['Consumer Defensive', ['PG', 'COST']],
  ['Financial Services', ['JPM', 'V', 'BRK-B', 'C']],
  ['Healthcare', ['JNJ', 'UNH']],
  ['Industrials', ['GE']],
  ['Energy', ['XOM']],
  ['Utilities', ['NEE']],
];

const ETFS = ['BND', 'VNQ', 'VTI', 'DJP', 'GLD', 'QQQ', 'SPY', 'BIL', 'IGV', 'JEPQ', 'SCHD', 'SMH', 'XLK', 'XLY',
  'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT'];
const FUNDS = ['FCNTX', 'FMAGX', 'FXNAX', 'VTIAX'];
const INDICES = ['VIX'];

function buildMap(): ReadonlyMap<string, ProfileKind> {
  const m = new Map<string, ProfileKind>();
  for (const [sector, symbols] of SECTOR_MEMBERS) for (const s of symbols) m.set(s, { kind: 'company', sector });
  for (const s of ETFS) m.set(s, { kind: 'etf' });
  for (const s of FUNDS) m.set(s, { kind: 'fund' });
  for (const s of INDICES) m.set(s, { kind: 'index' });
  return m;
}

/** Frozen after load (a ReadonlyMap that no code path writes). */
export const DEMO_PROFILE_MAP: ReadonlyMap<string, ProfileKind> = buildMap();

/** Industries offered per sector, in the provider's naming; one is drawn per symbol. */
export const SECTOR_INDUSTRIES: Readonly<Record<SectorName, readonly string[]>> = {
  Technology: ['Software - Infrastructure', 'Semiconductors', 'Consumer Electronics', 'Software - Application'],
  Healthcare: ['Drug Manufacturers - General', 'Healthcare Plans', 'Medical Devices'],
  'Financial Services': ['Banks - Diversified', 'Credit Services', 'Insurance - Diversified', 'Asset Management'],
  'Consumer Cyclical': ['Internet Retail', 'Auto Manufacturers', 'Home Improvement Retail', 'Apparel Retail', 'Leisure'],
  'Consumer Defensive': ['Household & Personal Products', 'Discount Stores', 'Beverages - Non-Alcoholic'],
  Industrials: ['Specialty Industrial Machinery', 'Aerospace & Defense', 'Railroads'],
  Energy: ['Oil & Gas Integrated', 'Oil & Gas E&P'],
  Utilities: ['Utilities - Regulated Electric', 'Utilities - Renewable'],
  'Real Estate': ['REIT - Specialty', 'REIT - Residential'],
  'Basic Materials': ['Specialty Chemicals', 'Gold', 'Steel'],
  'Communication Services': ['Internet Content & Information', 'Entertainment', 'Telecom Services'],
};
