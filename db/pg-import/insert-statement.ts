/**
 * INSERT statements written by pg_dump `--inserts`, `--column-inserts` and
 * `--rows-per-insert` (pg-import.md 5.3), turned into text rows like the COPY decoder's:
 *
 *   INSERT INTO s.t [(c1, c2, …)] [OVERRIDING SYSTEM VALUE] VALUES (…)[, (…)]*;
 *
 * Value forms: `'text'` (`''` doubling; `E'…'` and, with standard_conforming_strings off,
 * backslash escapes), unquoted numbers (`1.5`, `-5.00000000`, `1e+300`), `'NaN'` and
 * `'Infinity'` quoted, `NULL`, `true`/`false`, `B'1010'`, `DEFAULT` (generated columns:
 * null here), money as `'$1,234.56'`, arrays, dates and JSON as quoted literals. A `::type`
 * cast after a value is ignored. Any other expression is kept as its source text.
 */
import { DumpError } from './dump-error';
import { readQualifiedName, type QualifiedName } from './ddl-statements';
import { identValue, isPunct, isWord, lexSql, type Token } from './sql-lexer';
import type { TextRow } from './copy-text-decoder';

export interface InsertStatement {
  readonly table: QualifiedName;
  readonly columns: readonly string[] | null;
  readonly rows: TextRow[];
}

/** Parses one INSERT statement; null when the statement is not an INSERT. */
export function parseInsert(sql: string, standardStrings: boolean, where: string): InsertStatement | null {
  const tokens = lexSql(sql, { standardStrings, where });
  if (!isWord(tokens[0], 'insert') || !isWord(tokens[1], 'into')) return null;
  const qn = readQualifiedName(tokens, 2);
  if (!qn) throw new DumpError('bad_sql', `cannot read the table name of an INSERT in ${where}`);
  let i = qn.next;
  let columns: string[] | null = null;
  if (isPunct(tokens[i], '(')) {
    columns = [];
    i++;
    while (i < tokens.length && !isPunct(tokens[i], ')')) {
      const v = identValue(tokens[i]);
      if (v !== null) columns.push(v);
      i++;
    }
    i++;
  }
  if (isWord(tokens[i], 'overriding')) {
    i += 3; // OVERRIDING SYSTEM|USER VALUE
  }
  if (!isWord(tokens[i], 'values')) throw new DumpError('bad_sql', `an INSERT in ${where} has no VALUES list (INSERT … SELECT is not supported)`);
  i++;
  const rows: TextRow[] = [];
  for (;;) {
    if (!isPunct(tokens[i], '(')) throw new DumpError('bad_sql', `malformed VALUES list in an INSERT in ${where}`);
    const row: TextRow = [];
    i++;
    let valueStart = i;
    let depth = 0;
    for (;;) {
      const t = tokens[i];
      if (t === undefined) throw new DumpError('bad_sql', `unterminated VALUES list in an INSERT in ${where}`);
      if (isPunct(t, '(') || isPunct(t, '[')) depth++;
      else if ((isPunct(t, ')') || isPunct(t, ']')) && depth > 0) depth--;
      else if (depth === 0 && (isPunct(t, ',') || isPunct(t, ')'))) {
        row.push(valueOf(tokens, valueStart, i, sql, where));
        i++;
        if (isPunct(t, ')')) break;
        valueStart = i;
        continue;
      }
      i++;
    }
    rows.push(row);
    if (isPunct(tokens[i], ',')) {
      i++;
      continue;
    }
    break;
  }
  return { table: qn.name, columns, rows };
}

function valueOf(tokens: readonly Token[], from: number, to: number, sql: string, where: string): string | null {
  if (from >= to) throw new DumpError('bad_sql', `an empty value in an INSERT in ${where}`);
  // Ignore a trailing ::type cast.
  let end = to;
  for (let k = from; k < to; k++) {
    if (isPunct(tokens[k], '::')) {
      end = k;
      break;
    }
  }
  const first = tokens[from]!;
  if (end - from === 1) {
    switch (first.kind) {
      case 'string':
      case 'bitstring':
      case 'number':
        return first.value;
      case 'word':
        if (first.value === 'null' || first.value === 'default') return null;
        if (first.value === 'true' || first.value === 'false') return first.value;
        break;
      default:
        break;
    }
  }
  if (end - from === 2 && first.kind === 'punct' && (first.value === '-' || first.value === '+') && tokens[from + 1]!.kind === 'number') {
    return first.value === '-' ? `-${tokens[from + 1]!.value}` : tokens[from + 1]!.value;
  }
  return sql.slice(first.start, tokens[end - 1]!.end);
}
