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
