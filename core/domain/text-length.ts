/**
 * Text lengths as SQLite's length() counts them: in characters (code points), so a pair of
 * UTF-16 surrogates is one character and a cut never splits it.
 */

/** The number of characters (code points) of `s`. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Cuts to at most `max` characters (code points), never inside a surrogate pair. */
export function cutToChars(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join('');
}
