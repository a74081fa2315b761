/**
 * ASCII-only output (SPEC.md k.1): every byte the CLI writes is ASCII. Data text is
 * transliterated when a plain equivalent exists, else printed as '?'. JSON escapes every
 * non-ASCII character as a \u escape (\u00e9 for an e with an acute accent).
 */
const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2026': '...', '\u00A0': ' ',
  '\u2022': '*', '\u00D7': 'x', '\u2192': '->', '\u2190': '<-', '\u2264': '<=', '\u2265': '>=',
  '\u00DF': 'ss', '\u00C6': 'AE', '\u00E6': 'ae', '\u00D8': 'O', '\u00F8': 'o', '\u0141': 'L', '\u0142': 'l',
  '\u20AC': 'EUR', '\u00A3': 'GBP', '\u00A5': 'JPY', '\u00B0': 'deg',
};

export function toAscii(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out += ch;
      continue;
    }
    const mapped = REPLACEMENTS[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const stripped = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += /^[\x00-\x7f]+$/.test(stripped) ? stripped : '?';
  }
  return out;
}

/** JSON text in ASCII only: the one implementation, shared with host/ (core/api/ascii-json.ts). */
export { asciiJson } from '../core/api/ascii-json';

export const BANNER = '='.repeat(60);

/** ` (a, b, ...)`: at most `max` items of a list on one line, with how many were left out; '' when empty. */
export function inlineList(items: readonly string[], max = 10): string {
  if (items.length === 0) return '';
  return ` (${items.slice(0, max).join(', ')}${items.length > max ? `, ... ${items.length - max} more` : ''})`;
}

/** Fixed-width text table, columns padded with spaces. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]) =>
    cells
      .map((c, i) => ((align[i] ?? 'l') === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
