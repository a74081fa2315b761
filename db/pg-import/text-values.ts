/**
 * Text-like values (SPEC.md j.7, pg-import.md section 7): uuid → lowercase text, char(n) →
 * right-trimmed, bytea (hex `\x00ff` or escape `\000\377` form, depending on the dumping
 * connection's bytea_output) → BLOB, enum labels checked against the dump's own type.
 */
import type { IssueSink, ValueConverter } from './value-issue';

const UUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** True for the canonical lowercase form PostgreSQL prints (the common case: no allocation). */
function isCanonicalUuid(t: string): boolean {
  if (t.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = t.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export function convertUuid(text: string, sink: IssueSink): string | null {
  if (isCanonicalUuid(text)) return text;
  if (!UUID_RE.test(text)) {
    sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 60))} is not a uuid`);
    return null;
  }
  const hex = text.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** char(n) is padded with spaces to n; the padding is not part of the value. */
export function convertBpchar(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

export function convertBytea(text: string, sink: IssueSink): Buffer | null {
  if (text.startsWith('\\x')) {
    const hex = text.slice(2);
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
      sink.issue('invalid_value', 'error', text, 'invalid hex bytea');
      return null;
    }
    return Buffer.from(hex, 'hex');
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      if (text[i + 1] === '\\') {
        out.push(92);
        i++;
        continue;
      }
      const oct = text.slice(i + 1, i + 4);
      if (/^[0-3][0-7]{2}$/.test(oct)) {
        out.push(parseInt(oct, 8));
        i += 3;
        continue;
      }
      sink.issue('invalid_value', 'error', text.slice(0, 200), 'invalid escape-format bytea');
      return null;
    }
    if (c > 255) {
      sink.issue('invalid_value', 'error', text.slice(0, 200), 'invalid escape-format bytea');
      return null;
    }
    out.push(c);
  }
  return Buffer.from(out);
}

/** An enum column: the label is kept; labels the dump's type does not list are reported. */
export function enumConverter(labels: ReadonlySet<string>, typeName: string): ValueConverter {
  return (text, sink) => {
    if (!labels.has(text)) {
      sink.issue('unknown_enum_label', 'warning', text, `${JSON.stringify(text)} is not a label of ${typeName}`);
    }
    return text;
  };
}
