/**
 * Row identifiers (SPEC.md a.3): lowercase UUID text. Random version-4 ids for new rows;
 * MD5-formatted ids where a deterministic id is defined (demo data, j.6; synthetic prices,
 * so that the same seed gives byte-identical rows).
 */
import { createHash, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** The UUID formatting of the MD5 digest of `text` (how the demo file's ids were made). */
export function md5Uuid(text: string): string {
  const h = createHash('md5').update(text, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A deterministic id for a derived row of one processed date: the UUID formatting of the MD5
 * of its natural key, with the first 8 hex digits replaced by the date's epoch day. Rows of a
 * date then sit together in the primary-key index, so a backfill appends to the index instead
 * of touching pages all over it (a large write-speed difference on big tables).
 */
export function datedRowId(date: string, key: string): string {
  const day = Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
  return `${day.toString(16).padStart(8, '0')}${md5Uuid(key).slice(8)}`;
}
