/**
 * PostgreSQL array literals → JSON text (pg-import.md section 7; our schema has no array
 * columns, so this keeps them readable): `{a,"b c","d,e",NULL,"\"q\""}` → `["a","b c","d,e",null,"\"q\""]`,
 * `{{1,2},{3,4}}` → `[[1,2],[3,4]]`, `{}` → `[]`. An optional dimension prefix such as
 * `[0:1]=` is dropped. Unquoted `NULL` (any case) is null; quoted `"NULL"` is the text.
 * Elements are converted by the element type: numbers for integer, numeric and float arrays
 * (NaN and infinities → null), true/false for boolean arrays, strings otherwise.
 */
import type { IssueSink } from './value-issue';

export type ArrayElementKind = 'number' | 'boolean' | 'string';

type Nested = (Nested | string | null)[];

/** Parses an array literal; null when the text is not one. */
export function parseArrayLiteral(text: string): Nested | null {
  let i = 0;
  const n = text.length;
  if (text[0] === '[') {
    const eq = text.indexOf('=');
    if (eq < 0 || !/^(\[-?\d+:-?\d+\])+$/.test(text.slice(0, eq))) return null;
    i = eq + 1;
  }
  const parse = (): Nested | null => {
    if (text[i] !== '{') return null;
    i++;
    const out: Nested = [];
    while (i < n && /\s/.test(text[i]!)) i++;
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      while (i < n && /\s/.test(text[i]!)) i++;
      if (text[i] === '{') {
        const sub = parse();
        if (sub === null) return null;
        out.push(sub);
      } else if (text[i] === '"') {
        i++;
        let v = '';
        for (;;) {
          if (i >= n) return null;
          const c = text[i]!;
          if (c === '\\') {
            if (i + 1 >= n) return null;
            v += text[i + 1];
            i += 2;
            continue;
          }
          if (c === '"') {
            i++;
            break;
          }
          v += c;
          i++;
        }
        out.push(v);
      } else {
        let v = '';
        let escapedAny = false;
        while (i < n && text[i] !== ',' && text[i] !== '}') {
          if (text[i] === '\\' && i + 1 < n) {
            v += text[i + 1];
            escapedAny = true;
            i += 2;
            continue;
          }
          if (text[i] === '{' || text[i] === '"') return null;
          v += text[i];
          i++;
        }
        v = v.trim();
        out.push(!escapedAny && v.toUpperCase() === 'NULL' ? null : v);
      }
      while (i < n && /\s/.test(text[i]!)) i++;
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      return null;
    }
  };
  const result = parse();
  if (result === null) return null;
  while (i < n && /\s/.test(text[i]!)) i++;
  return i === n ? result : null;
}

function convertElements(a: Nested, kind: ArrayElementKind): unknown[] {
  return a.map((e) => {
    if (e === null) return null;
    if (Array.isArray(e)) return convertElements(e, kind);
    if (kind === 'number') {
      const v = Number(e);
      return e.trim() !== '' && Number.isFinite(v) ? v : null;
    }
    if (kind === 'boolean') return e === 't' || e === 'true' ? true : e === 'f' || e === 'false' ? false : e;
    return e;
  });
}

/** Converter factory for an array column with the given element kind. */
export function arrayConverter(kind: ArrayElementKind) {
  return (text: string, sink: IssueSink): string | null => {
    const parsed = parseArrayLiteral(text);
    if (parsed === null) {
      sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 60))} is not an array literal`);
      return null;
    }
    return JSON.stringify(convertElements(parsed, kind));
  };
}
