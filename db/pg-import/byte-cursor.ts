/**
 * Sequential reads of the custom archive's primitives over a ByteSource (pg-import.md 2.1),
 * through a small read-ahead buffer. Every length is checked against the bytes remaining
 * before anything is allocated, so a corrupt length can neither exhaust memory nor hang.
 *
 * - int: a sign byte (0 or 1), then `intSize` bytes of the magnitude, least significant first.
 * - string: an int length (−1 = NULL, 0 = empty), then that many raw bytes.
 * - offset: a flag byte, then `offSize` bytes, least significant first.
 */
import type { ByteSource } from './byte-source';
import { DumpError } from './dump-error';

const DEFAULT_WINDOW = 64 * 1024;

export interface ArchiveOffset {
  readonly flag: number;
  readonly value: number;
}

export class ByteCursor {
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  private pos: number;

  constructor(
    private readonly source: ByteSource,
    start = 0,
    private readonly window = DEFAULT_WINDOW,
    /** Names the file in error messages. */
    private readonly what = 'archive',
  ) {
    this.pos = start;
  }

  get position(): number {
    return this.pos;
  }

  get size(): number {
    return this.source.size;
  }

  get remaining(): number {
    return this.source.size - this.pos;
  }

  seek(position: number): void {
    if (position < 0 || position > this.source.size) {
      throw new DumpError('bad_length', `position ${position} is outside the ${this.what} (${this.source.size} bytes)`, {
        offset: position,
      });
    }
    this.pos = position;
  }

  /** Makes `n` bytes at the current position available, or throws `truncated`. */
  private async ensure(n: number, what: string): Promise<void> {
    const have = this.bufStart + this.buf.length - this.pos;
    if (this.pos >= this.bufStart && have >= n) return;
    if (n > this.remaining) {
      throw new DumpError(
        'truncated',
        `the ${this.what} ends inside ${what} at byte ${this.pos} (needs ${n} bytes, ${this.remaining} left); the file is truncated or damaged`,
        { offset: this.pos },
      );
    }
    const want = Math.max(n, this.window);
    this.buf = await this.source.read(this.pos, want);
    this.bufStart = this.pos;
    if (this.buf.length < n) {
      throw new DumpError('truncated', `the ${this.what} ends inside ${what} at byte ${this.pos}`, { offset: this.pos });
    }
  }

  async readByte(what = 'a byte'): Promise<number> {
    await this.ensure(1, what);
    const b = this.buf[this.pos - this.bufStart]!;
    this.pos += 1;
    return b;
  }

  /** Reads exactly `n` bytes (copied out of the read-ahead buffer when `n` is small). */
  async readBytes(n: number, what = 'data'): Promise<Buffer> {
    if (n < 0) throw new DumpError('bad_length', `negative length ${n} for ${what}`, { offset: this.pos });
    if (n === 0) return Buffer.alloc(0);
    if (n > this.window) {
      if (n > this.remaining) {
        throw new DumpError('truncated', `the ${this.what} ends inside ${what} at byte ${this.pos} (needs ${n} bytes, ${this.remaining} left)`, {
          offset: this.pos,
        });
      }
      const out = await this.source.read(this.pos, n);
      if (out.length < n) throw new DumpError('truncated', `the ${this.what} ends inside ${what} at byte ${this.pos}`, { offset: this.pos });
      this.pos += n;
      return out;
    }
    await this.ensure(n, what);
    const start = this.pos - this.bufStart;
    const out = Buffer.from(this.buf.subarray(start, start + n));
    this.pos += n;
    return out;
  }

  async skipBytes(n: number, what = 'data'): Promise<void> {
    if (n < 0 || n > this.remaining) {
      throw new DumpError('truncated', `the ${this.what} ends inside ${what} at byte ${this.pos} (skipping ${n} bytes, ${this.remaining} left)`, {
        offset: this.pos,
      });
    }
    this.pos += n;
  }

  /** Sign-and-magnitude int of `intSize` bytes (1 to 8). */
  async readInt(intSize: number, what = 'an int'): Promise<number> {
    await this.ensure(1 + intSize, what);
    const at = this.pos - this.bufStart;
    const sign = this.buf[at]!;
    if (sign > 1) {
      throw new DumpError('bad_length', `invalid sign byte ${sign} in ${what} at byte ${this.pos}; the file is damaged`, { offset: this.pos });
    }
    let value = 0;
    let scale = 1;
    for (let i = 0; i < intSize; i++) {
      value += this.buf[at + 1 + i]! * scale;
      scale *= 256;
    }
    this.pos += 1 + intSize;
    return sign === 1 ? -value : value;
  }

  /**
   * A length-prefixed string as raw bytes; null for length −1. Lengths below −1, beyond the
   * bytes remaining or above `cap` are errors.
   */
  async readStringBytes(intSize: number, cap: number, what = 'a string'): Promise<Buffer | null> {
    const at = this.pos;
    const len = await this.readInt(intSize, `the length of ${what}`);
    if (len === -1) return null;
    if (len < -1) throw new DumpError('bad_length', `invalid length ${len} for ${what} at byte ${at}; the file is damaged`, { offset: at });
    if (len > this.remaining) {
      throw new DumpError('truncated', `${what} at byte ${at} claims ${len} bytes but only ${this.remaining} remain; the file is truncated or damaged`, {
        offset: at,
      });
    }
    if (len > cap) throw new DumpError('too_large', `${what} at byte ${at} is ${len} bytes, above the limit of ${cap}`, { offset: at });
    return this.readBytes(len, what);
  }

  async readOffset(offSize: number, what = 'a data offset'): Promise<ArchiveOffset> {
    await this.ensure(1 + offSize, what);
    const at = this.pos - this.bufStart;
    const flag = this.buf[at]!;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < offSize; i++) {
      value += this.buf[at + 1 + i]! * scale;
      scale *= 256;
    }
    this.pos += 1 + offSize;
    return { flag, value };
  }
}
