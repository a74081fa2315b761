/**
 * Reads CSV in a stream: a header, then records of text cells, each with its line number,
 * handed one at a time to a reader that judges them. Nothing but the reader's own rows is
 * kept, so the memory an import needs grows with its good rows, not with the file's text
 * (SPEC.md k.2: imports of large files), and a source that is a file stream gives the event loop a turn between
 * chunks, so Ctrl-C (its abort signal) stops the read of a long file or an endless pipe.
 * Every cell stays text (no auto-typing: "00123" must not become 123); readers convert cells
 * with the zod rules of csv-cells.ts.
 *
 * Accepted: a UTF-8 BOM, LF / CRLF / CR line ends, quoted fields (RFC 4180) including
 * line breaks inside quotes, blank lines (skipped), spaces around unquoted fields (trimmed).
 * A row may have fewer or more cells than the header; readers report that per row.
 * Text is UTF-8: a record whose lines hold bytes that are not is read all the same (each
 * sequence as U+FFFD) and marked `notUtf8`, so the reader can say so of a cell it reads
 * (csv-row-cells.ts) and a column it ignores does not spoil the row.
 * A syntax error is a `malformed_csv` problem (a quote inside an unquoted value: that record
 * only): with `skipBadRows` skipped and reported, else fatal. So is a record the reader finds
 * bad: the first one stops the read (nothing after it is read) unless `skipBadRows`. A quote
 * problem that leaves csv-parse inside a quoted value is fatal even with `skipBadRows`: a quote
 * never closed (`unclosed_quote`) or one closed by other text than a comma or the line end
 * (`bad_closing_quote`). csv-parse then reads the lines after it into that value, or drops
 * them (text after a closing quote and a space), so skipping it would lose the good rows after
 * it without a word, and it offers no way to resume reading at the next line.
 */
import { CsvError, parse, type InfoRecord, type Options, type Parser } from 'csv-parse';
import { isFileProblem, type CsvProblem, type CsvProblemKind } from './csv-problem';

export interface CsvRecord {
  /** Line where the record starts (1-based). */
  readonly line: number;
  readonly cells: readonly string[];
  /**
   * Whether the record's lines hold bytes that are not UTF-8, each sequence of which the cells
   * read as U+FFFD: a cell holding U+FFFD then shows the file's encoding, not a value anyone wrote.
   */
  readonly notUtf8: boolean;
}

/** The CSV bytes: the whole text, or its chunks (a file stream: `fs.createReadStream`, whose abort ends the read). */
export type CsvSource = string | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** What a format makes of the file: a verdict on the header, then one on each record. */
export interface CsvReader<P extends CsvProblem = CsvProblem> {
  /** The header's problem, which refuses the whole file (a required column absent ...), or null. */
  header(cells: readonly string[], line: number): CsvProblem | null;
  /** The record's problem (the row is bad), or null when the reader took the row. */
  record(record: CsvRecord): P | null;
}

export type CsvRead<P extends CsvProblem = CsvProblem> =
  | { readonly ok: true; readonly headerLine: number; readonly skipped: readonly (P | CsvProblem)[] }
  | { readonly ok: false; readonly problem: P | CsvProblem; readonly skipped: readonly (P | CsvProblem)[] };

export interface ReadCsvOptions {
  /** Named in problems. */
  readonly file?: string | null;
  /**
   * Skip bad rows (unreadable CSV or a record the reader refuses), each reported, instead of
   * stopping at the first; a quote problem that hides the lines after it still refuses the file.
   */
  readonly skipBadRows?: boolean;
  /**
   * With skipBadRows, told of every skipped row in the order read; it says whether the row's
   * problem is kept in `skipped`. A file of a million bad rows would otherwise hold a million
   * problems; the caller counts those it drops. Absent: every problem is kept.
   */
  readonly keepSkipped?: (problem: CsvProblem) => boolean;
}

/**
 * Reads `source` through `reader`. Resolves to the verdict: the problem that refused the file
 * (its header, a missing header, a quote problem that hides the lines after it, or the first
 * bad row without skipBadRows), or the rows skipped, in line order. Rejects only with the source's own error (an unreadable file, the
 * AbortError of a stopped stream) or a reader's exception.
 */
export async function readCsv<P extends CsvProblem>(source: CsvSource, options: ReadCsvOptions, reader: CsvReader<P>): Promise<CsvRead<P>> {
  const file = options.file ?? null;
  const skipBadRows = options.skipBadRows === true;
  const keep = options.keepSkipped ?? (() => true);
  const lines = new LineIndex();
  const skipped: (P | CsvProblem)[] = [];
  const malformedLines = new Set<number>();
  let headerLine: number | null = null;
  let refusal: P | CsvProblem | null = null;
  // Byte offset just past the last record read, to place an unterminated quote.
  let lastEnd = 0;

  // The error's `bytes` is where csv-parse began the bad record (its `lines` miscounts after a
  // quoted CRLF, and points past an unclosed quote to the end of the file).
  const malformed = (error: CsvError | undefined): CsvProblem => {
    const kind = syntaxErrorKind(error);
    const line = lines.firstFilledFrom(lines.lineAt(typeof error?.bytes === 'number' ? error.bytes : lastEnd));
    return { file, line, column: null, columnNumber: null, kind, message: syntaxErrorMessage(kind, error) };
  };
  const take = (record: CsvRecord): void => {
    if (refusal) return;
    if (headerLine === null) {
      headerLine = record.line;
      refusal = record.cells.every((c) => c === '') ? missingHeader(file, record.line) : reader.header(record.cells, record.line);
      return;
    }
    const problem = reader.record(record);
    if (!problem) return;
    if (!skipBadRows) refusal = problem;
    else if (keep(problem)) skipped.push(problem);
  };

  const parser = parse({
    bom: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    // Every line may end its own way: csv-parse would take the first line's ending for the whole
    // file, and read a CRLF header over LF rows as one record.
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_records_with_error: skipBadRows,
    // With `raw`, csv-parse hands over { record, raw }; bytes counts through the record's end.
    // The record is judged here and not passed on (null), so nothing piles up in the stream.
    on_record: ((entry: { record: string[]; raw: string }, context: InfoRecord) => {
      lastEnd = context.bytes;
      // The raw text's length in bytes is not the record's: it is decoded (a byte that is not
      // UTF-8 becomes U+FFFD, 3 bytes), and csv-parse leaves out the LF of a CRLF line end and
      // trimmed multi-byte spaces. Its line breaks are all there, so the first line is counted
      // back from the last (the line of the record's last byte, csv-parse's count being in bytes).
      const lastLine = lines.lineAt(context.bytes - 1);
      const line = lines.firstFilledFrom(lastLine - innerLineBreaks(entry.raw));
      take({ line, cells: entry.record, notUtf8: lines.notUtf8Within(line, lastLine) });
      return null;
    }) as unknown as Options['on_record'],
    on_skip: (error: CsvError | undefined): undefined => {
      if (refusal) return;
      const problem = malformed(error);
      // A quote problem that hides the lines after it cannot be skipped (see the top of this file).
      if (isFileProblem(problem)) refusal = problem;
      // csv-parse may report one skipped record twice.
      else if (!malformedLines.has(problem.line) && keep(problem)) skipped.push(problem);
      malformedLines.add(problem.line);
    },
  });
  // Errors reach the write and end callbacks below; this keeps the stream's own event quiet.
  parser.on('error', () => undefined);
  try {
    for await (const chunk of chunksOf(source)) {
      lines.scan(chunk);
      await write(parser, chunk);
      if (refusal) break;
    }
    lines.end();
    if (!refusal) await end(parser);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    refusal = malformed(error);
  } finally {
    parser.destroy();
  }
  skipped.sort((a, b) => a.line - b.line);
  if (refusal) return { ok: false, problem: refusal, skipped };
  if (headerLine === null) return { ok: false, problem: missingHeader(file, 1), skipped };
  return { ok: true, headerLine, skipped };
}

/**
 * The kind of a csv-parse error: a quote that leaves the parser inside a quoted value (never
 * closed, or closed by other text than a comma or the line end) is told apart from the syntax
 * errors that spoil their own record only.
 */
function syntaxErrorKind(error: CsvError | undefined): CsvProblemKind {
  switch (error?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unclosed_quote';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'bad_closing_quote';
    default:
      return 'malformed_csv';
  }
}

/**
 * What a syntax error says: the quote problems in words of their own, naming the fix (csv-parse
 * words a bad closing quote in its own terms: "trimable character (if activated)"), any other
 * error in csv-parse's words.
 */
function syntaxErrorMessage(kind: CsvProblemKind, error: CsvError | undefined): string {
  if (kind === 'unclosed_quote') return 'not valid CSV: a quote opened on this line is never closed';
  if (kind === 'bad_closing_quote') return 'not valid CSV: a quoted value opened on this line has text after its closing quote (a quote inside a quoted value is written twice: "")';
  return `not valid CSV: ${error ? parserWords(error.message) : 'unreadable record'}`;
}

/**
 * csv-parse's message in the words of the other problems: its own line count is dropped (the
 * problem carries the line the record starts on, which csv-parse miscounts after a quoted CRLF)
 * and its 0-based "field N" becomes the 1-based column.
 */
function parserWords(message: string): string {
  return message.replace(/ at line \d+/, '').replace(/\bon field (\d+)/, (_, n: string) => `in column ${Number(n) + 1}`);
}

/**
 * The line breaks (CRLF, LF or CR) of a record's raw text but the one that ends it. The raw
 * text starts with the blank lines before the record; where csv-parse left out the LF of a
 * blank CRLF line, a blank LF line after it makes "\r\n", counted once: the count then falls
 * short by blank lines only, which firstFilledFrom steps over anyway.
 */
function innerLineBreaks(raw: string): number {
  const breaks = raw.match(/\r\n?|\n/g)?.length ?? 0;
  return /[\r\n]$/.test(raw) ? breaks - 1 : breaks;
}

function missingHeader(file: string | null, line: number): CsvProblem {
  return { file, line, column: null, columnNumber: null, kind: 'missing_header', message: 'the file has no header row' };
}

function chunksOf(source: CsvSource): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  return typeof source === 'string' ? [Buffer.from(source, 'utf8')] : source;
}

function write(parser: Parser, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

function end(parser: Parser): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/**
 * Line numbers of byte offsets in the stream (csv-parse counts bytes, BOM included), built as
 * the chunks go by: where each line break ends, which lines hold only spaces and tabs, and which
 * hold bytes that are not UTF-8 (the decoded text cannot tell them from a U+FFFD written as such).
 */
class LineIndex {
  /** Offset of the last byte of each line break. */
  private readonly breaks: number[] = [];
  /** 1-based numbers of the lines that hold only spaces and tabs (and a BOM). */
  private readonly blank = new Set<number>();
  /** 1-based numbers of the lines that hold bytes that are not UTF-8, ascending. */
  private readonly notUtf8: number[] = [];
  private offset = 0;
  /** Offset of a CR whose meaning (a break of its own, or the start of CRLF) waits for the next byte, or -1. */
  private pendingCr = -1;
  private lineBlank = true;
  /**
   * UTF-8 continuation bytes still due, and the range the next one must be in (narrower after
   * E0, ED, F0, F4: no overlong forms, surrogates or code points past U+10FFFF; RFC 3629 s. 4).
   */
  private utf8Due = 0;
  private utf8Lower = 0x80;
  private utf8Upper = 0xbf;

  scan(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i += 1) {
      const at = this.offset + i;
      const byte = chunk[i]!;
      if (this.pendingCr >= 0) {
        const crlf = byte === 0x0a;
        this.lineBreak(crlf ? at : this.pendingCr);
        this.pendingCr = -1;
        if (crlf) continue;
      }
      // Before the break is counted: a sequence a line break cuts short is on the line before it.
      this.checkUtf8(byte);
      if (byte === 0x0a) this.lineBreak(at);
      else if (byte === 0x0d) this.pendingCr = at;
      else if (byte !== 0x20 && byte !== 0x09 && !(at < 3 && BOM[at] === byte)) this.lineBlank = false;
    }
    this.offset += chunk.length;
  }

  /** The source ended: a UTF-8 sequence still open is cut short, a CR at its very end is a break of its own. */
  end(): void {
    if (this.utf8Due > 0) this.markNotUtf8();
    if (this.pendingCr >= 0) this.lineBreak(this.pendingCr);
    this.pendingCr = -1;
  }

  /** The first line at or after `line` that is not blank. */
  firstFilledFrom(line: number): number {
    let filled = line;
    while (this.blank.has(filled)) filled += 1;
    return filled;
  }

  /** The line holding the byte at `offset` (a line break's bytes are on the line they end). */
  lineAt(offset: number): number {
    return countBelow(this.breaks, offset) + 1;
  }

  /** Whether a line from `first` to `last` holds bytes that are not UTF-8. */
  notUtf8Within(first: number, last: number): boolean {
    const i = countBelow(this.notUtf8, first);
    return i < this.notUtf8.length && this.notUtf8[i]! <= last;
  }

  private checkUtf8(byte: number): void {
    if (this.utf8Due > 0) {
      if (byte >= this.utf8Lower && byte <= this.utf8Upper) {
        this.utf8Due -= 1;
        this.utf8Lower = 0x80;
        this.utf8Upper = 0xbf;
        return;
      }
      // Cut short: this byte then starts afresh, as a decoder reads it.
      this.utf8Due = 0;
      this.utf8Lower = 0x80;
      this.utf8Upper = 0xbf;
      this.markNotUtf8();
    }
    if (byte < 0x80) return;
    if (byte >= 0xc2 && byte <= 0xdf) this.utf8Due = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.utf8Due = 2;
      if (byte === 0xe0) this.utf8Lower = 0xa0;
      if (byte === 0xed) this.utf8Upper = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.utf8Due = 3;
      if (byte === 0xf0) this.utf8Lower = 0x90;
      if (byte === 0xf4) this.utf8Upper = 0x8f;
    } else this.markNotUtf8();
  }

  private markNotUtf8(): void {
    const line = this.breaks.length + 1;
    if (this.notUtf8[this.notUtf8.length - 1] !== line) this.notUtf8.push(line);
  }

  private lineBreak(at: number): void {
    if (this.lineBlank) this.blank.add(this.breaks.length + 1);
    this.breaks.push(at);
    this.lineBlank = true;
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/** How many of the ascending `values` are below `value`. */
function countBelow(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Position of a column by name: trimmed, case-insensitive; -1 when absent. */
export function columnIndex(header: readonly string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.trim().toLowerCase() === wanted);
}

/** The first header name that appears twice (case-insensitive), or null. */
export function duplicateHeader(header: readonly string[]): { name: string; columnNumber: number } | null {
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i += 1) {
    const key = header[i]!.trim().toLowerCase();
    if (key !== '' && seen.has(key)) return { name: header[i]!, columnNumber: i + 1 };
    seen.add(key);
  }
  return null;
}
