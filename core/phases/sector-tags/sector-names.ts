/** Sector tag names and colours (SPEC.md d.13). */

export const UNCATEGORIZED = 'Uncategorized';

/** Names already cased: a backfill asks for the same few sectors for every lot of every date. */
const cased = new Map<string, string>();

/** Upper-cases the first letter of each word and lower-cases the rest; words split on space, hyphen and slash. */
export function titleCaseSector(raw: string): string {
  let name = cased.get(raw);
  if (name === undefined) {
    name = raw
      .trim()
      .split(/([ \-/])/)
      .map((part) => (/^[ \-/]$/.test(part) || part === '' ? part : part[0]!.toUpperCase() + part.slice(1).toLowerCase()))
      .join('');
    if (cased.size < 10_000) cased.set(raw, name);
  }
  return name;
}

const COLORS: Record<string, string> = {
  Technology: '#2196F3',
  Healthcare: '#4CAF50',
  'Financial Services': '#FF9800',
  Financials: '#FF9800',
  Energy: '#FFC107',
  'Consumer Discretionary': '#9C27B0',
  'Consumer Cyclical': '#9C27B0',
  'Consumer Defensive': '#E91E63',
  'Consumer Staples': '#E91E63',
  Industrials: '#795548',
  Materials: '#607D8B',
  'Basic Materials': '#607D8B',
  'Real Estate': '#00BCD4',
  Utilities: '#8BC34A',
  'Communication Services': '#3F51B5',
  'Telecommunication Services': '#3F51B5',
  Uncategorized: '#9E9E9E',
  Unknown: '#9E9E9E',
};

export function sectorTagColor(name: string): string {
  return COLORS[name] ?? '#78909C';
}
