/**
 * COPY text-format decoder (pg-import.md section 6), byte-exact and streaming.
 *
 * - Rows end at LF; a CR right before the LF is dropped (files that passed through Windows
 *   tools; pg_dump itself always escapes CR as \r, so a raw CR never belongs to a value).
 * - Fields split at raw TAB. A field that is exactly `\N` is NULL.
 * - Escapes are resolved at the byte level before the text is decoded: `\b \f \n \r \t \v`,
 *   `\\`, 1-3 octal digits, `\x` with 1-2 hex digits; a backslash before any other byte
 *   stands for that byte (so `\<TAB>` is a TAB inside the value, as in PostgreSQL).
 * - A line that is exactly `\.` ends the data; anything after it is ignored. Reaching the
 *   end of the stream without it is an error.
 * - Text is decoded with the dump's encoding; invalid bytes are an error naming the table,
 *   row and column (never replaced silently).
 *
 * Input pieces may cut rows and multi-byte characters anywhere: the unfinished line is
 * carried over to the next piece. Lines take a fast path (native indexOf splitting, one
 * validity check per line, only fields with a backslash unescaped).
 */
import { DumpError } from './dump-error';
import type { TextCodec } from './text-encoding';

const LF = 10;
const CR = 13;
const TAB = 9;
const BSL = 92;

export type TextRow = (string | null)[];

export interface CopyDecoderOptions {
  readonly codec: TextCodec;
  /** Names the table in error messages. */
  readonly table: string;
  /** Column names in data order; the field count of every row is checked against it. */
  readonly columns: readonly string[] | null;
  /** Longest line accepted (default 1 GiB, PostgreSQL's largest field). */
  readonly maxLineBytes?: number;
}

function hexVal(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 65 && b <= 70) return b - 55;
  if (b >= 97 && b <= 102) return b - 87;
  return -1;
}

/**
 * Resolves the escape starting at the backslash buf[i] (escapes end at `end`), writes the one
 * byte it stands for to s[w] and returns the position after the escape. A lone backslash at
 * the end stands for itself.
 */
function unescapeOne(buf: Buffer, i: number, end: number, s: Buffer, w: number): number {
  if (i + 1 >= end) {
    s[w] = BSL;
    return i + 1;
  }
  const c = buf[i + 1]!;
  i += 2;
  switch (c) {
    case 0x62: s[w] = 8; return i; // \b
    case 0x66: s[w] = 12; return i; // \f
    case 0x6e: s[w] = LF; return i; // \n
    case 0x72: s[w] = CR; return i; // \r
    case 0x74: s[w] = TAB; return i; // \t
    case 0x76: s[w] = 11; return i; // \v
    case 0x78: { // \x with 1-2 hex digits; otherwise the letter x
      const h1 = i < end ? hexVal(buf[i]!) : -1;
      if (h1 < 0) {
        s[w] = 0x78;
        return i;
      }
      let v = h1;
      i++;
      const h2 = i < end ? hexVal(buf[i]!) : -1;
      if (h2 >= 0) {
        v = v * 16 + h2;
        i++;
      }
      s[w] = v;
      return i;
    }
    default:
      if (c >= 0x30 && c <= 0x37) {
        let v = c - 0x30;
        for (let k = 0; k < 2 && i < end && buf[i]! >= 0x30 && buf[i]! <= 0x37; k++) v = v * 8 + (buf[i++]! - 0x30);
        s[w] = v & 0xff;
      } else {
        s[w] = c;
      }
      return i;
  }
}

export class CopyTextDecoder {
  private carry: Buffer | null = null;
  private scratch: Buffer = Buffer.allocUnsafe(4096);
  private rowNo = 0;
  private done = false;
  private readonly expected: number | null;
  private readonly maxLine: number;
  // Next TAB / backslash at or after a position of the current buffer, found with one native
  // indexOf and reused while lines advance, so scanning stays linear in the piece size.
  private tabBuf: Buffer | null = null;
  private tabAt = -1;
  private bsBuf: Buffer | null = null;
  private bsAt = -1;

  constructor(private readonly opts: CopyDecoderOptions) {
    this.expected = opts.columns ? opts.columns.length : null;
    this.maxLine = opts.maxLineBytes ?? 1024 * 1024 * 1024;
  }

  /** True once the `\.` line was seen. */
  get finished(): boolean {
    return this.done;
  }

  /** Number of data rows decoded so far. */
  get rows(): number {
    return this.rowNo;
  }

  /** Decodes the complete rows in `chunk` (plus any carried partial line) into `out`. */
  push(chunk: Uint8Array, out: TextRow[]): void {
    if (this.done || chunk.length === 0) return;
    this.tabBuf = null;
    this.bsBuf = null;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carry !== null) {
      const nl = buf.indexOf(LF);
      if (nl < 0) {
        if (this.carry.length + buf.length > this.maxLine) this.tooLong();
        this.carry = Buffer.concat([this.carry, buf]);
        return;
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, nl)]);
      this.carry = null;
      this.line(line, 0, line.length, out);
      if (this.done) return;
      pos = nl + 1;
    }
    const len = buf.length;
    while (pos < len) {
      const nl = buf.indexOf(LF, pos);
      if (nl < 0) {
        if (len - pos > this.maxLine) this.tooLong();
        this.carry = Buffer.from(buf.subarray(pos));
        return;
      }
      this.line(buf, pos, nl, out);
      if (this.done) return;
      pos = nl + 1;
    }
  }

  /** Call at the end of the stream: a missing `\.` (or a last line without LF) is an error. */
  end(): void {
    if (this.done) return;
    if (this.carry !== null && this.carry.length > 0) {
      const c = this.carry;
      const n = c.length - (c[c.length - 1] === CR ? 1 : 0);
      if (n === 2 && c[0] === BSL && c[1] === 0x2e) {
        this.done = true;
        return;
      }
    }
    throw new DumpError(
      'missing_copy_end',
      `the COPY data of ${this.opts.table} ends after ${this.rowNo} rows without the \\. end marker; the file is truncated`,
      { table: this.opts.table, row: this.rowNo },
    );
  }

  private tooLong(): never {
    throw new DumpError('too_large', `row ${this.rowNo + 1} of ${this.opts.table} is longer than ${this.maxLine} bytes`, {
      table: this.opts.table,
      row: this.rowNo + 1,
    });
  }

  private line(buf: Buffer, start: number, end: number, out: TextRow[]): void {
    if (end > start && buf[end - 1] === CR) end--;
    if (end - start === 2 && buf[start] === BSL && buf[start + 1] === 0x2e) {
      this.done = true;
      return;
    }
    this.rowNo++;
    const row = this.fastLine(buf, start, end);
    if (this.expected !== null && row.length !== this.expected) {
      throw new DumpError(
        'bad_copy_row',
        `row ${this.rowNo} of ${this.opts.table} has ${row.length} fields, expected ${this.expected}; the data is damaged`,
        { table: this.opts.table, row: this.rowNo },
      );
    }
    out.push(row);
  }

  private nextTab(buf: Buffer, from: number): number {
    if (this.tabBuf !== buf || this.tabAt < from) {
      const i = buf.indexOf(TAB, from);
      this.tabBuf = buf;
      this.tabAt = i < 0 ? buf.length : i;
    }
    return this.tabAt;
  }

  private nextBackslash(buf: Buffer, from: number): number {
    if (this.bsBuf !== buf || this.bsAt < from) {
      const i = buf.indexOf(BSL, from);
      this.bsBuf = buf;
      this.bsAt = i < 0 ? buf.length : i;
    }
    return this.bsAt;
  }

  /**
   * Fast path. A line whose only backslashes are `\N` fields (the usual line) is decoded at
   * once and split at its TABs: a TAB byte is never part of a multi-byte character in any
   * supported encoding, so this equals decoding field by field, with one native call per
   * line instead of one per field. Otherwise fields are split with native indexOf; a field
   * without a backslash is decoded as it is, a field that is exactly `\N` is NULL, any other
   * field with a backslash is unescaped on its own. A TAB preceded by an odd run of
   * backslashes is an escaped TAB inside a value: such (hand-made) lines go through the
   * byte-by-byte path.
   */
  private fastLine(buf: Buffer, start: number, end: number): TextRow {
    const codec = this.opts.codec;
    // Invalid raw bytes may still be parts of characters completed by escapes (`\303` then a
    // raw 0xA9): the byte-by-byte path validates each field after unescaping.
    if (!codec.total && !codec.isValid(buf.subarray(start, end))) return this.escapedLine(buf, start, end);
    const whole = this.splitLine(buf, start, end);
    if (whole !== null) return whole;
    const row: TextRow = [];
    let fs = start;
    for (;;) {
      let fe = this.nextTab(buf, fs);
      if (fe > end) fe = end;
      if (this.nextBackslash(buf, fs) >= fe) {
        row.push(codec.decodeTrusted(buf, fs, fe));
      } else if (fe - fs === 2 && buf[fs] === BSL && buf[fs + 1] === 0x4e) {
        row.push(null);
      } else {
        if (fe < end) {
          let k = fe - 1;
          while (k >= fs && buf[k] === BSL) k--;
          if ((fe - 1 - k) % 2 === 1) return this.escapedLine(buf, start, end);
        }
        row.push(this.decodeScratch(this.unescapeField(buf, fs, fe), row.length));
      }
      if (fe >= end) break;
      fs = fe + 1;
    }
    return row;
  }

  /** The fields of a line whose only backslashes are `\N` fields, or null for any other line. */
  private splitLine(buf: Buffer, start: number, end: number): TextRow | null {
    let nulls = false;
    for (let p = this.nextBackslash(buf, start); p < end; p = this.nextBackslash(buf, p + 1)) {
      if ((p !== start && buf[p - 1] !== TAB) || buf[p + 1] !== 0x4e || (p + 2 !== end && buf[p + 2] !== TAB)) {
        this.bsAt = -1; // the caller searches again from the line's start
        return null;
      }
      nulls = true;
    }
    const fields: TextRow = this.opts.codec.decodeTrusted(buf, start, end).split('\t');
    if (nulls) for (let i = 0; i < fields.length; i++) if (fields[i] === '\\N') fields[i] = null;
    return fields;
  }

  /** Unescapes buf[fs, fe) into the scratch buffer; returns the length. */
  private unescapeField(buf: Buffer, fs: number, fe: number): number {
    if (this.scratch.length < fe - fs) this.scratch = Buffer.allocUnsafe(Math.max(fe - fs, this.scratch.length * 2));
    const s = this.scratch;
    let w = 0;
    let i = fs;
    while (i < fe) {
      const b = buf[i]!;
      if (b !== BSL) {
        s[w++] = b;
        i++;
        continue;
      }
      i = unescapeOne(buf, i, fe, s, w++);
    }
    return w;
  }

  /** Slow path: split and unescape byte by byte. */
  private escapedLine(buf: Buffer, start: number, end: number): TextRow {
    const row: TextRow = [];
    if (this.scratch.length < end - start) this.scratch = Buffer.allocUnsafe(Math.max(end - start, this.scratch.length * 2));
    const s = this.scratch;
    let fs = start;
    let w = 0;
    let i = start;
    while (i < end) {
      const b = buf[i]!;
      if (b === TAB) {
        // A field is NULL when its raw bytes are exactly `\N`.
        if (i - fs === 2 && buf[fs] === BSL && buf[fs + 1] === 0x4e) row.push(null);
        else row.push(this.decodeScratch(w, row.length));
        w = 0;
        fs = ++i;
        continue;
      }
      if (b !== BSL) {
        s[w++] = b;
        i++;
        continue;
      }
      i = unescapeOne(buf, i, end, s, w++);
    }
    if (end - fs === 2 && buf[fs] === BSL && buf[fs + 1] === 0x4e) row.push(null);
    else row.push(this.decodeScratch(w, row.length));
    return row;
  }

  private decodeScratch(len: number, col: number): string {
    const codec = this.opts.codec;
    if (!codec.total && !codec.isValid(this.scratch.subarray(0, len))) this.invalidField(this.scratch.subarray(0, len), col);
    return codec.decodeTrusted(this.scratch, 0, len);
  }

  private columnName(col: number): string {
    return this.opts.columns?.[col] ?? `#${col + 1}`;
  }

  private invalidField(bytes: Uint8Array, col: number): never {
    const hex = Array.from(bytes.subarray(0, 16), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new DumpError(
      'invalid_text',
      `invalid ${this.opts.codec.encoding} text in ${this.opts.table}, row ${this.rowNo}, column ${this.columnName(col)} (bytes ${hex}${bytes.length > 16 ? ' …' : ''})`,
      { table: this.opts.table, row: this.rowNo, column: this.columnName(col) },
    );
  }
}
