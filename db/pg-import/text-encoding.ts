/**
 * The archive's text encoding (pg-import.md 2.5): every string and data byte is in the
 * encoding named by the ENCODING entry (or `SET client_encoding` in a plain dump).
 *
 * - UTF8: validated (invalid bytes are an error naming where they are), then decoded.
 * - LATIN1: ISO 8859-1, every byte is the code point of the same number. (The WHATWG
 *   "latin1" label means windows-1252, so it is not used here.)
 * - WIN1252: windows-1252 (our own table for 0x80-0x9F).
 * - SQL_ASCII: the server never checked the bytes; decoded as UTF-8 with replacement
 *   characters, and the reader reports a warning.
 */
import { isUtf8 } from 'node:buffer';
import { DumpError } from './dump-error';

export type DumpEncoding = 'UTF8' | 'LATIN1' | 'WIN1252' | 'SQL_ASCII';

export interface TextCodec {
  readonly encoding: DumpEncoding;
  /** True when `decode` can never fail (single-byte encodings, SQL_ASCII). */
  readonly total: boolean;
  /** True when the bytes are valid in this encoding. */
  isValid(bytes: Uint8Array): boolean;
  /** Decodes valid bytes; call isValid first when `total` is false. */
  decodeTrusted(bytes: Buffer, start: number, end: number): string;
  /** Decodes or throws `invalid_text` with the given context. */
  decode(bytes: Uint8Array, where: string): string;
}

const ALIASES: Record<string, DumpEncoding> = {
  UTF8: 'UTF8',
  'UTF-8': 'UTF8',
  UNICODE: 'UTF8',
  LATIN1: 'LATIN1',
  'ISO-8859-1': 'LATIN1',
  ISO88591: 'LATIN1',
  'ISO_8859_1': 'LATIN1',
  WIN1252: 'WIN1252',
  WINDOWS1252: 'WIN1252',
  'WINDOWS-1252': 'WIN1252',
  CP1252: 'WIN1252',
  SQL_ASCII: 'SQL_ASCII',
};

/** The supported encoding for a PostgreSQL encoding name, or null. */
export function parseEncodingName(name: string): DumpEncoding | null {
  return ALIASES[name.trim().toUpperCase()] ?? null;
}

/**
 * windows-1252 bytes 0x80-0x9F (the rest is ISO 8859-1). Written out because Node 20's
 * TextDecoder('windows-1252') returns nothing for these bytes. The five bytes the code page
 * leaves undefined map to the C1 control of the same number, as in the WHATWG encoding.
 */
const WIN1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeWin1252(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      if (i > run) out += Buffer.from(bytes.buffer, bytes.byteOffset + run, i - run).toString('latin1');
      out += WIN1252_HIGH[b - 0x80];
      run = i + 1;
    }
  }
  if (end > run) out += Buffer.from(bytes.buffer, bytes.byteOffset + run, end - run).toString('latin1');
  return out;
}
const utf8Lossy = new TextDecoder('utf-8', { fatal: false });

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export function textCodec(encoding: DumpEncoding): TextCodec {
  switch (encoding) {
    case 'UTF8':
      return {
        encoding,
        total: false,
        isValid: (bytes) => isUtf8(bytes),
        decodeTrusted: (bytes, start, end) => bytes.toString('utf8', start, end),
        decode(bytes, where) {
          if (!isUtf8(bytes)) {
            throw new DumpError('invalid_text', `invalid UTF-8 in ${where}: ${describeBadUtf8(bytes)}`);
          }
          return asBuffer(bytes).toString('utf8');
        },
      };
    case 'LATIN1':
      return {
        encoding,
        total: true,
        isValid: () => true,
        decodeTrusted: (bytes, start, end) => bytes.toString('latin1', start, end),
        decode: (bytes) => asBuffer(bytes).toString('latin1'),
      };
    case 'WIN1252':
      return {
        encoding,
        total: true,
        isValid: () => true,
        decodeTrusted: (bytes, start, end) => decodeWin1252(bytes, start, end),
        decode: (bytes) => decodeWin1252(bytes, 0, bytes.length),
      };
    case 'SQL_ASCII':
      return {
        encoding,
        total: true,
        isValid: () => true,
        decodeTrusted: (bytes, start, end) => utf8Lossy.decode(bytes.subarray(start, end)),
        decode: (bytes) => utf8Lossy.decode(bytes),
      };
  }
}

/** Where the first invalid UTF-8 sequence is, for error messages. */
export function describeBadUtf8(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n = 0;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) n = 3;
    else if (b >= 0xf0 && b <= 0xf4) n = 4;
    if (n === 0 || i + n > bytes.length || !isUtf8(bytes.subarray(i, i + n))) {
      const hex = Array.from(bytes.subarray(i, Math.min(bytes.length, i + 4)), (x) => x.toString(16).padStart(2, '0')).join(' ');
      return `byte ${i} (${hex})`;
    }
    i += n;
  }
  return 'a sequence cut at the end';
}
