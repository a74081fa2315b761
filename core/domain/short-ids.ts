/**
 * Short forms of ids for tables and messages: the first 8 characters (a UUID's first group)
 * where that tells the ids in view apart, and more where it does not. Imported reference
 * databases hold ids such as a1000000-0000-0000-0000-000000000001 and ...-000000000002, which
 * share every group but the last.
 *
 * A short form is the first 8 characters when no other id in view starts with them; else the
 * shortest longer prefix that no other id starts with, cut only where a group ends (before a
 * '-') or at the id's end, so that it reads as whole groups of the id rather than a group cut
 * in the middle. Two UUIDs that differ only in their last group are therefore shown whole. No
 * short form is a prefix of another id in view, so each names exactly one of them; an id that is
 * itself a prefix of another is shown whole.
 */

/** The short form of each id in `ids`; an id not among them is shown whole. */
export function shortIds(ids: Iterable<string>): (id: string) => string {
  const sorted = [...new Set(ids)].sort();
  const short = new Map<string, string>();
  sorted.forEach((id, i) => {
    // In sorted order, the ids sharing the longest prefix with `id` are its neighbours.
    const shared = Math.max(commonPrefixLength(id, sorted[i - 1]), commonPrefixLength(id, sorted[i + 1]));
    short.set(id, id.slice(0, cutAfter(id, Math.max(shared + 1, 8))));
  });
  return (id) => short.get(id) ?? id;
}

function commonPrefixLength(a: string, b: string | undefined): number {
  if (b === undefined) return 0;
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

/** The first group end (a '-' or the end of the id) at or after `length` characters. */
function cutAfter(id: string, length: number): number {
  if (length >= id.length) return id.length;
  if (length === 8) return 8;
  const dash = id.indexOf('-', length);
  return dash === -1 ? id.length : dash;
}
