/**
 * A small SQL tokenizer for the statements the reader looks at (CREATE TABLE, CREATE TYPE,
 * ALTER TABLE … ATTACH PARTITION, COPY, INSERT, SET). It knows the quoting rules of
 * pg-import.md 5.2: `'…'` with `''` doubling (backslash escapes too when
 * standard_conforming_strings is off), `E'…'` with backslash escapes, `B'…'` and `X'…'`,
 * `"…"` identifiers with `""` doubling, dollar quotes, `--` and nested `/* … *\/` comments.
 *
 * Unquoted identifiers and keywords are folded to lower case, as PostgreSQL does.
 */
import { DumpError } from './dump-error';

export type TokenKind = 'word' | 'qident' | 'string' | 'bitstring' | 'number' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** word: lower-cased; qident: unquoted name; string: the value; number: the text; punct: the symbol. */
  readonly value: string;
  /** 'e' for E'' strings, 'b'/'x' for bit strings, '$' for dollar quotes; '' otherwise. */
  readonly prefix: string;
  readonly start: number;
  readonly end: number;
}

const isIdentStart = (c: string) => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentChar = (c: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Backslash escapes of E'' strings (PostgreSQL 4.1.2.2). */
function unescapeE(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = raw[++i];
    if (n === undefined) break;
    switch (n) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'x': {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(raw.slice(i + 1));
        if (!m) { out += 'x'; break; }
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
        break;
      }
      case 'u':
      case 'U': {
        const len = n === 'u' ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) throw new DumpError('bad_sql', `invalid Unicode escape in a string in ${where}`);
        out += String.fromCodePoint(parseInt(hex, 16));
        i += len;
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          const m = /^[0-7]{1,3}/.exec(raw.slice(i))!;
          out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
          i += m[0].length - 1;
        } else {
          out += n;
        }
    }
  }
  return out;
}

export interface LexOptions {
  /** standard_conforming_strings; when false, plain '' strings take backslash escapes. */
  readonly standardStrings?: boolean;
  /** Names the statement in error messages. */
  readonly where?: string;
}

export function lexSql(text: string, options: LexOptions = {}): Token[] {
  const std = options.standardStrings ?? true;
  const where = options.where ?? 'a SQL statement';
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  const unterminated = (what: string): never => {
    throw new DumpError('bad_sql', `unterminated ${what} in ${where}`);
  };

  const readQuoted = (from: number, backslash: boolean): { value: string; end: number } => {
    // from points just after the opening quote
    let j = from;
    let raw = '';
    for (;;) {
      if (j >= n) unterminated('string literal');
      const c = text[j]!;
      if (backslash && c === '\\') {
        if (j + 1 >= n) unterminated('string literal');
        raw += c + text[j + 1];
        j += 2;
        continue;
      }
      if (c === "'") {
        if (text[j + 1] === "'") {
          raw += backslash ? "\\'" : "'";
          j += 2;
          continue;
        }
        // Adjacent literals separated by whitespace with a newline are one literal (SQL standard).
        const m = /^'\s*\n\s*'/.exec(text.slice(j, j + 200));
        if (m) {
          j += m[0].length;
          continue;
        }
        return { value: backslash ? unescapeE(raw, where) : raw, end: j + 1 };
      }
      raw += c;
      j++;
    }
  };

  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        if (j >= n) unterminated('comment');
        if (text[j] === '/' && text[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (text[j] === '*' && text[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      i = j;
      continue;
    }
    const start = i;
    if ((c === 'E' || c === 'e') && text[i + 1] === "'") {
      const q = readQuoted(i + 2, true);
      tokens.push({ kind: 'string', value: q.value, prefix: 'e', start, end: q.end });
      i = q.end;
      continue;
    }
    if ((c === 'B' || c === 'b' || c === 'X' || c === 'x') && text[i + 1] === "'") {
      const q = readQuoted(i + 2, false);
      tokens.push({ kind: 'bitstring', value: q.value, prefix: c.toLowerCase(), start, end: q.end });
      i = q.end;
      continue;
    }
    if ((c === 'U' || c === 'u') && text[i + 1] === '&' && text[i + 2] === "'") {
      throw new DumpError('bad_sql', `U&'' string literals are not supported (in ${where})`);
    }
    if (c === "'") {
      const q = readQuoted(i + 1, !std);
      tokens.push({ kind: 'string', value: q.value, prefix: '', start, end: q.end });
      i = q.end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= n) unterminated('quoted identifier');
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            v += '"';
            j += 2;
            continue;
          }
          break;
        }
        v += text[j];
        j++;
      }
      tokens.push({ kind: 'qident', value: v, prefix: '', start, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 200));
      if (m) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        if (close < 0) unterminated('dollar-quoted string');
        tokens.push({ kind: 'string', value: text.slice(i + tag.length, close), prefix: '$', start, end: close + tag.length });
        i = close + tag.length;
        continue;
      }
      // $1 parameter: treat as punctuation plus number
      tokens.push({ kind: 'punct', value: '$', prefix: '', start, end: i + 1 });
      i++;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      tokens.push({ kind: 'number', value: m[0], prefix: '', start, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text[j]!)) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j).toLowerCase(), prefix: '', start, end: j });
      i = j;
      continue;
    }
    if (c === ':' && text[i + 1] === ':') {
      tokens.push({ kind: 'punct', value: '::', prefix: '', start, end: i + 2 });
      i += 2;
      continue;
    }
    tokens.push({ kind: 'punct', value: c, prefix: '', start, end: i + 1 });
    i++;
  }
  return tokens;
}

/** True when the token is the keyword `kw` (lower case). */
export function isWord(t: Token | undefined, kw: string): boolean {
  return t !== undefined && t.kind === 'word' && t.value === kw;
}

export function isPunct(t: Token | undefined, p: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.value === p;
}

/** The identifier value of a word or quoted-identifier token, else null. */
export function identValue(t: Token | undefined): string | null {
  if (!t) return null;
  if (t.kind === 'word' || t.kind === 'qident') return t.value;
  return null;
}
