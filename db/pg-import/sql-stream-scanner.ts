/**
 * A streaming, byte-level, quote-aware splitter of SQL text into statements (pg-import.md
 * 5.2). It never executes anything; it only finds where statements, psql meta-commands and
 * COPY data begin and end, so plain dumps and `--inserts` data streams can be read in pieces.
 *
 * States: normal SQL; `'…'` with `''` doubling; `E'…'` with backslash escapes (all `'…'`
 * strings when standard_conforming_strings is off); `"…"` identifiers; dollar quotes
 * `$tag$…$tag$`; `--` comments; nested `/* … *\/` comments; psql meta-command lines starting
 * with a backslash (`\restrict`, `\connect`, …), which end at the end of the line. After a
 * statement the handler recognises as `COPY … FROM stdin`, the scanner skips the rest of that
 * line and hands the data lines (including the `\.` line that ends them) to the handler.
 *
 * All SQL syntax characters are ASCII, and in the supported encodings (UTF8, LATIN1,
 * WIN1252, SQL_ASCII) an ASCII byte is always that character, so bytes can be scanned
 * before decoding. Offsets are absolute byte positions in the stream.
 */
import { DumpError } from './dump-error';

export interface SqlScanHandlers {
  /**
   * A complete statement (its bytes run from the end of the previous one, so they may start
   * with comments; they end with the `;`). Valid only during the call. Return true when it is
   * `COPY … FROM stdin`, so that the following lines are read as COPY data.
   */
  statement(bytes: Buffer, start: number, end: number): boolean;
  /** A psql meta-command line (without its LF). */
  meta(line: Buffer, start: number): void;
  /** COPY data bytes (pieces of whole or partial lines, ending with the `\.` line). */
  copyData(piece: Buffer, start: number): void;
  /** The end of a COPY block: the offset just after the `\.` line. */
  copyEnd(end: number): void;
}

export interface SqlScanOptions {
  readonly standardStrings?: boolean;
  readonly maxStatementBytes?: number;
  /** Names the input in error messages. */
  readonly what?: string;
}

const enum St {
  Normal,
  Single,
  Escaped,
  DoubleQ,
  Dollar,
  LineComment,
  BlockComment,
  Meta,
}

const enum Mode {
  Sql,
  SkipLine,
  Copy,
}

function isIdentByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x24 || b >= 0x80;
}

function isTagStart(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b >= 0x80;
}

export class SqlStreamScanner {
  private mode: Mode = Mode.Sql;
  private buf: Buffer = Buffer.allocUnsafe(64 * 1024);
  private len = 0;
  private base = 0; // absolute offset of buf[0]
  private stmtStart = 0;
  private i = 0;
  private st: St = St.Normal;
  private hasContent = false;
  private depth = 0;
  private tag: Buffer | null = null;
  private metaStart = 0;
  private std: boolean;
  private readonly maxStmt: number;
  private readonly what: string;
  // copy mode
  private copyLineLen = 0;
  private copyPrefix: number[] = [];
  private copyTarget: string | null = null;
  private absolute = 0; // absolute offset of the next byte to be fed

  constructor(
    private readonly h: SqlScanHandlers,
    options: SqlScanOptions = {},
  ) {
    this.std = options.standardStrings ?? true;
    this.maxStmt = options.maxStatementBytes ?? 256 * 1024 * 1024;
    this.what = options.what ?? 'the SQL text';
  }

  /** standard_conforming_strings changed (a `SET` statement seen by the handler). */
  setStandardStrings(on: boolean): void {
    this.std = on;
  }

  /** Absolute offset of the next byte to be fed. */
  get position(): number {
    return this.absolute;
  }

  push(chunk: Uint8Array): void {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let queue: { data: Buffer; at: number } | null = { data: b, at: this.absolute };
    this.absolute += b.length;
    while (queue !== null) {
      const { data, at } = queue;
      queue = null;
      let pos = 0;
      while (pos < data.length) {
        if (this.mode === Mode.Copy) {
          pos = this.copyFeed(data, pos, at);
        } else if (this.mode === Mode.SkipLine) {
          const nl = data.indexOf(10, pos);
          if (nl < 0) pos = data.length;
          else {
            pos = nl + 1;
            this.mode = Mode.Copy;
            this.copyLineLen = 0;
            this.copyPrefix = [];
          }
        } else {
          const leftover = this.sqlFeed(data, pos, at);
          if (leftover !== null) {
            queue = leftover;
            break;
          }
          pos = data.length;
        }
      }
    }
  }

  /** End of input: flushes a last statement without `;`, or fails on an unterminated construct. */
  end(): void {
    if (this.mode === Mode.Copy || this.mode === Mode.SkipLine) {
      const lastIsEnd =
        this.mode === Mode.Copy &&
        ((this.copyLineLen === 2 && this.copyPrefix[0] === 0x5c && this.copyPrefix[1] === 0x2e) ||
          (this.copyLineLen === 3 && this.copyPrefix[0] === 0x5c && this.copyPrefix[1] === 0x2e && this.copyPrefix[2] === 13));
      if (lastIsEnd) {
        this.h.copyEnd(this.absolute);
        this.mode = Mode.Sql;
        return;
      }
      throw new DumpError('missing_copy_end', `${this.what} ends inside the COPY data${this.copyTarget ? ` of ${this.copyTarget}` : ''} without the \\. end marker; the file is truncated`, {
        offset: this.absolute,
      });
    }
    this.scan(true);
    switch (this.st) {
      case St.Single:
      case St.Escaped:
        throw new DumpError('bad_sql', `${this.what} ends inside a string literal; the file is truncated`);
      case St.DoubleQ:
        throw new DumpError('bad_sql', `${this.what} ends inside a quoted identifier; the file is truncated`);
      case St.Dollar:
        throw new DumpError('bad_sql', `${this.what} ends inside a dollar-quoted string; the file is truncated`);
      case St.BlockComment:
        throw new DumpError('bad_sql', `${this.what} ends inside a /* comment; the file is truncated`);
      case St.Meta:
        this.h.meta(this.buf.subarray(this.metaStart, this.len), this.base + this.metaStart);
        break;
      default:
        break;
    }
    if (this.hasContent && this.st !== St.Meta) {
      this.h.statement(this.buf.subarray(this.stmtStart, this.len), this.base + this.stmtStart, this.base + this.len);
    }
    this.len = 0;
    this.stmtStart = 0;
    this.i = 0;
  }

  private copyFeed(data: Buffer, pos: number, at: number): number {
    let i = pos;
    for (;;) {
      const nl = data.indexOf(10, i);
      const stop = nl < 0 ? data.length : nl;
      for (let k = i; k < stop && this.copyPrefix.length < 3; k++) this.copyPrefix.push(data[k]!);
      this.copyLineLen += stop - i;
      if (nl < 0) {
        if (data.length > pos) this.h.copyData(data.subarray(pos, data.length), at + pos);
        return data.length;
      }
      const p = this.copyPrefix;
      const isEnd =
        (this.copyLineLen === 2 && p[0] === 0x5c && p[1] === 0x2e) || (this.copyLineLen === 3 && p[0] === 0x5c && p[1] === 0x2e && p[2] === 13);
      this.copyLineLen = 0;
      this.copyPrefix = [];
      if (isEnd) {
        this.h.copyData(data.subarray(pos, nl + 1), at + pos);
        this.h.copyEnd(at + nl + 1);
        this.mode = Mode.Sql;
        return nl + 1;
      }
      i = nl + 1;
    }
  }

  /** Appends SQL bytes and scans; returns bytes that belong to a new mode (after a COPY statement). */
  private sqlFeed(data: Buffer, pos: number, at: number): { data: Buffer; at: number } | null {
    // Drop the bytes of finished statements, then append.
    if (this.len === 0) {
      this.base = at + pos;
    } else if (this.stmtStart > 0) {
      this.buf.copyWithin(0, this.stmtStart, this.len);
      this.len -= this.stmtStart;
      this.i -= this.stmtStart;
      this.metaStart -= this.stmtStart;
      this.base += this.stmtStart;
      this.stmtStart = 0;
    }
    const add = data.length - pos;
    if (this.len + add > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + add));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    data.copy(this.buf, this.len, pos);
    this.len += add;
    const switched = this.scan(false);
    if (switched) {
      const rest = Buffer.from(this.buf.subarray(this.stmtStart, this.len));
      const restAt = this.base + this.stmtStart;
      this.len = 0;
      this.stmtStart = 0;
      this.i = 0;
      return rest.length > 0 ? { data: rest, at: restAt } : null;
    }
    if (this.len - this.stmtStart > this.maxStmt) {
      throw new DumpError('too_large', `a statement in ${this.what} at byte ${this.base + this.stmtStart} is longer than ${this.maxStmt} bytes`, {
        offset: this.base + this.stmtStart,
      });
    }
    return null;
  }

  /** Scans buf from i; returns true when a COPY statement switched the mode. */
  private scan(eof: boolean): boolean {
    const b = this.buf;
    const len = this.len;
    let i = this.i;
    try {
      while (i < len) {
        switch (this.st) {
          case St.Normal: {
            const c = b[i]!;
            if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b) {
              i++;
              break;
            }
            if (c === 0x2d /* - */) {
              if (i + 1 >= len && !eof) return false;
              if (b[i + 1] === 0x2d) {
                this.st = St.LineComment;
                i += 2;
              } else {
                this.hasContent = true;
                i++;
              }
              break;
            }
            if (c === 0x2f /* / */) {
              if (i + 1 >= len && !eof) return false;
              if (b[i + 1] === 0x2a) {
                this.st = St.BlockComment;
                this.depth = 1;
                i += 2;
              } else {
                this.hasContent = true;
                i++;
              }
              break;
            }
            if (c === 0x27 /* ' */) {
              const prev = i - 1 >= this.stmtStart ? b[i - 1]! : 0;
              const prev2 = i - 2 >= this.stmtStart ? b[i - 2]! : 0;
              const eString = (prev === 0x45 || prev === 0x65) && !isIdentByte(prev2);
              this.st = eString || !this.std ? St.Escaped : St.Single;
              this.hasContent = true;
              i++;
              break;
            }
            if (c === 0x22 /* " */) {
              this.st = St.DoubleQ;
              this.hasContent = true;
              i++;
              break;
            }
            if (c === 0x24 /* $ */) {
              this.hasContent = true;
              if (i - 1 >= this.stmtStart && isIdentByte(b[i - 1]!)) {
                i++;
                break;
              }
              let j = i + 1;
              if (j < len && isTagStart(b[j]!)) {
                j++;
                while (j < len && isIdentByte(b[j]!) && b[j] !== 0x24) j++;
              }
              if (j >= len) {
                if (!eof) return false;
                i++;
                break;
              }
              if (b[j] === 0x24) {
                this.tag = Buffer.from(b.subarray(i, j + 1));
                this.st = St.Dollar;
                i = j + 1;
              } else {
                i++;
              }
              break;
            }
            if (c === 0x5c /* \ */ && !this.hasContent) {
              this.st = St.Meta;
              this.metaStart = i;
              i++;
              break;
            }
            if (c === 0x3b /* ; */) {
              i++;
              if (this.hasContent) {
                const start = this.stmtStart;
                this.stmtStart = i;
                this.hasContent = false;
                this.i = i;
                if (this.h.statement(b.subarray(start, i), this.base + start, this.base + i)) {
                  this.mode = Mode.SkipLine;
                  // The COPY target, to name it if the data ends without its end marker.
                  this.copyTarget = /\bCOPY\s+((?:"(?:[^"]|"")*"|[^\s(]+)(?:\.(?:"(?:[^"]|"")*"|[^\s(]+))?)/i.exec(b.toString('utf8', start, Math.min(i, start + 4096)))?.[1] ?? null;
                  return true;
                }
              } else {
                this.stmtStart = i;
              }
              break;
            }
            this.hasContent = true;
            i++;
            break;
          }
          case St.Single:
          case St.DoubleQ: {
            const q = this.st === St.Single ? 0x27 : 0x22;
            const k = b.indexOf(q, i);
            if (k < 0 || k >= len) {
              i = len;
              break;
            }
            if (k + 1 >= len && !eof) {
              i = k;
              return false;
            }
            if (b[k + 1] === q) i = k + 2;
            else {
              i = k + 1;
              this.st = St.Normal;
            }
            break;
          }
          case St.Escaped: {
            const c = b[i]!;
            if (c === 0x5c) {
              if (i + 1 >= len && !eof) return false;
              i += 2;
            } else if (c === 0x27) {
              if (i + 1 >= len && !eof) return false;
              if (b[i + 1] === 0x27) i += 2;
              else {
                i++;
                this.st = St.Normal;
              }
            } else i++;
            break;
          }
          case St.Dollar: {
            const tag = this.tag!;
            const k = b.indexOf(tag, i);
            if (k < 0 || k + tag.length > len) {
              i = Math.max(i, len - tag.length + 1);
              if (!eof) return false;
              i = len;
              break;
            }
            i = k + tag.length;
            this.st = St.Normal;
            break;
          }
          case St.LineComment: {
            const k = b.indexOf(0x0a, i);
            if (k < 0 || k >= len) {
              i = len;
              break;
            }
            i = k + 1;
            this.st = St.Normal;
            break;
          }
          case St.BlockComment: {
            const c = b[i]!;
            if ((c === 0x2f || c === 0x2a) && i + 1 >= len && !eof) return false;
            if (c === 0x2f && b[i + 1] === 0x2a) {
              this.depth++;
              i += 2;
            } else if (c === 0x2a && b[i + 1] === 0x2f) {
              this.depth--;
              i += 2;
              if (this.depth === 0) this.st = St.Normal;
            } else i++;
            break;
          }
          case St.Meta: {
            const k = b.indexOf(0x0a, i);
            if (k < 0 || k >= len) {
              i = len;
              return false;
            }
            let lineEnd = k;
            if (lineEnd > this.metaStart && b[lineEnd - 1] === 0x0d) lineEnd--;
            this.h.meta(b.subarray(this.metaStart, lineEnd), this.base + this.metaStart);
            i = k + 1;
            this.stmtStart = i;
            this.st = St.Normal;
            break;
          }
        }
      }
      return false;
    } finally {
      this.i = i;
    }
  }
}
