/**
 * Pull-style exact reads over a stream of byte pieces: `read(n)` returns exactly n bytes,
 * or null at a clean end of the stream, and throws `truncated` when the stream ends part-way.
 * Only the bytes of the current request are buffered.
 */
import { DumpError } from './dump-error';

export class ChunkReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private cur: Uint8Array = new Uint8Array(0);
  private curPos = 0;
  private done = false;

  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly what: string,
  ) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** True once the stream is exhausted and nothing is buffered. */
  async atEnd(): Promise<boolean> {
    if (this.curPos < this.cur.length) return false;
    return !(await this.fill());
  }

  private async fill(): Promise<boolean> {
    while (this.curPos >= this.cur.length) {
      if (this.done) return false;
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        return false;
      }
      this.cur = r.value;
      this.curPos = 0;
    }
    return true;
  }

  /** Exactly n bytes; null when the stream ended cleanly before the first byte. */
  async read(n: number, what: string): Promise<Uint8Array | null> {
    if (n === 0) return new Uint8Array(0);
    if (!(await this.fill())) return null;
    const avail = this.cur.length - this.curPos;
    if (avail >= n) {
      const out = this.cur.subarray(this.curPos, this.curPos + n);
      this.curPos += n;
      return out;
    }
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      if (!(await this.fill())) {
        throw new DumpError('truncated', `${this.what} ends inside ${what} (${got} of ${n} bytes)`);
      }
      const take = Math.min(n - got, this.cur.length - this.curPos);
      out.set(this.cur.subarray(this.curPos, this.curPos + take), got);
      this.curPos += take;
      got += take;
    }
    return out;
  }

  /** Exactly n bytes or a `truncated` error. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    const b = await this.read(n, what);
    if (b === null) throw new DumpError('truncated', `${this.what} ends before ${what}`);
    return b;
  }

  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }
}
