/**
 * A minimal ustar reader for pg_dump's tar format (pg-import.md section 4): 512-byte headers
 * (name, octal size, checksum, type flag, `ustar` magic, name prefix), member data padded to
 * 512 bytes, two zero blocks at the end. Only the member index is built (names, offsets and
 * sizes); data is read later through positioned reads. GNU long names (`L`) and pax headers
 * (`x`, `g`) are handled so hand-made tars work too.
 */
import type { ByteSource } from './byte-source';
import { DumpError } from './dump-error';

export interface TarMember {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

const BLOCK = 512;
const MAX_MEMBERS = 10_000_000;

function octal(b: Buffer, start: number, len: number): number {
  // Base-256 (GNU) sizes set the high bit of the first byte.
  if (b[start]! & 0x80) {
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = b.toString('latin1', start, start + len).replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return Number.NaN;
  return parseInt(s, 8);
}

function cString(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end < 0 || end > start + len ? start + len : end);
}

function checksumOk(h: Buffer): boolean {
  const stored = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === stored;
}

/** True when the 512 bytes look like a ustar header (magic at 257). */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < 263) return false;
  return Buffer.from(head.buffer, head.byteOffset + 257, 5).toString('latin1') === 'ustar';
}

export async function readTarIndex(source: ByteSource): Promise<Map<string, TarMember>> {
  const members = new Map<string, TarMember>();
  let pos = 0;
  let longName: string | null = null;
  while (pos + BLOCK <= source.size) {
    const h = await source.read(pos, BLOCK);
    if (h.length < BLOCK) break;
    if (h.every((x) => x === 0)) break;
    if (!checksumOk(h)) throw new DumpError('bad_tar', `the tar header at byte ${pos} has a bad checksum; the file is damaged`, { offset: pos });
    const size = octal(h, 124, 12);
    if (!Number.isFinite(size) || size < 0) throw new DumpError('bad_tar', `the tar header at byte ${pos} has an invalid size`, { offset: pos });
    const dataAt = pos + BLOCK;
    if (dataAt + size > source.size) {
      throw new DumpError('truncated', `the tar member at byte ${pos} claims ${size} bytes but the file ends first; the file is truncated`, { offset: pos });
    }
    const type = String.fromCharCode(h[156]!);
    const prefix = cString(h, 345, 155);
    let name = cString(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    if (type === 'L') {
      if (size > 1024 * 1024) throw new DumpError('bad_tar', `a tar long name at byte ${pos} is too long`);
      longName = (await source.read(dataAt, size)).toString('utf8').replace(/\0+$/, '');
    } else if (type === 'x' || type === 'g') {
      // pax extended header: only `path` matters here
      if (size <= 1024 * 1024) {
        const text = (await source.read(dataAt, size)).toString('utf8');
        const m = /\d+ path=([^\n]*)\n/.exec(text);
        if (m && type === 'x') longName = m[1]!;
      }
    } else {
      if (longName !== null) {
        name = longName;
        longName = null;
      }
      if (type === '0' || type === '\0' || type === '7') {
        if (members.size >= MAX_MEMBERS) throw new DumpError('too_large', 'the tar archive has too many members');
        members.set(name.replace(/^\.\//, ''), { name, offset: dataAt, size });
      }
    }
    pos = dataAt + Math.ceil(size / BLOCK) * BLOCK;
  }
  return members;
}
