/**
 * The few statements of a dump the reader understands (pg-import.md 2.5, 5.1), parsed from
 * tokens so quoting never confuses them:
 *
 * - `CREATE TABLE s.t (col type …, CONSTRAINT …) [INHERITS (…)] [PARTITION BY …]` and the
 *   older `CREATE TABLE s.p PARTITION OF s.t …` form: column names, types, generated columns;
 * - `CREATE TYPE s.x AS ENUM ('a', 'it''s odd')`;
 * - `ALTER TABLE [ONLY] parent ATTACH PARTITION child …`;
 * - `COPY s.t (cols) FROM stdin`;
 * - `SET name = value` and `SELECT pg_catalog.set_config('name', 'value', false)`.
 */
import { identValue, isPunct, isWord, lexSql, type Token } from './sql-lexer';

export interface QualifiedName {
  readonly schema: string | null;
  readonly name: string;
}

export interface ColumnDefinition {
  readonly name: string;
  /** The type as written, for example `numeric(20,8)`. */
  readonly type: string;
  /** GENERATED ALWAYS AS (…) STORED: left out of COPY, DEFAULT in INSERTs. */
  readonly generated: boolean;
}

export interface TableDefinition {
  readonly table: QualifiedName;
  readonly columns: readonly ColumnDefinition[];
  readonly partitioned: boolean;
  /** `PARTITION OF parent` (old form): the columns come from the parent. */
  readonly partitionOf: QualifiedName | null;
  /** `INHERITS (…)`: inherited columns are not repeated in the child's definition. */
  readonly inherits: readonly QualifiedName[];
}

export interface EnumDefinition {
  readonly type: QualifiedName;
  readonly labels: readonly string[];
}

export interface CopyStatement {
  readonly table: QualifiedName;
  /** null when the statement lists no columns. */
  readonly columns: readonly string[] | null;
  readonly fromStdin: boolean;
}

export function qualifiedKey(n: QualifiedName, defaultSchema = 'public'): string {
  return `${n.schema ?? defaultSchema}.${n.name}`;
}

/** Reads `ident[.ident[.ident]]` at tokens[i]; returns the name and the next index. */
export function readQualifiedName(tokens: readonly Token[], i: number): { name: QualifiedName; next: number } | null {
  const parts: string[] = [];
  let j = i;
  const first = identValue(tokens[j]);
  if (first === null) return null;
  parts.push(first);
  j++;
  while (isPunct(tokens[j], '.') && identValue(tokens[j + 1]) !== null) {
    parts.push(identValue(tokens[j + 1])!);
    j += 2;
  }
  const name = parts[parts.length - 1]!;
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : null;
  return { name: { schema, name }, next: j };
}

/** Splits tokens[from, to) at top-level commas. */
function splitTopLevel(tokens: readonly Token[], from: number, to: number): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(') || isPunct(t, '[')) depth++;
    else if (isPunct(t, ')') || isPunct(t, ']')) depth--;
    if (depth === 0 && isPunct(t, ',')) {
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const TABLE_CONSTRAINT_WORDS = new Set(['constraint', 'check', 'primary', 'unique', 'foreign', 'exclude', 'like']);
const COLUMN_CLAUSE_WORDS = new Set([
  'not', 'null', 'default', 'constraint', 'collate', 'generated', 'check', 'references', 'primary', 'unique', 'compression', 'storage',
]);

/** Parses a CREATE TABLE statement; null when the text is not one. */
export function parseCreateTable(sql: string, standardStrings = true): TableDefinition | null {
  const tokens = lexSql(sql, { standardStrings, where: 'a CREATE TABLE statement' });
  let i = 0;
  if (!isWord(tokens[i], 'create')) return null;
  i++;
  while (tokens[i] && ['global', 'local', 'temp', 'temporary', 'unlogged', 'foreign'].includes(tokens[i]!.value) && tokens[i]!.kind === 'word') i++;
  if (!isWord(tokens[i], 'table')) return null;
  i++;
  if (isWord(tokens[i], 'if') && isWord(tokens[i + 1], 'not') && isWord(tokens[i + 2], 'exists')) i += 3;
  const qn = readQualifiedName(tokens, i);
  if (!qn) return null;
  i = qn.next;
  let partitionOf: QualifiedName | null = null;
  if (isWord(tokens[i], 'partition') && isWord(tokens[i + 1], 'of')) {
    const parent = readQualifiedName(tokens, i + 2);
    if (!parent) return null;
    partitionOf = parent.name;
    i = parent.next;
  } else if (isWord(tokens[i], 'of')) {
    const typed = readQualifiedName(tokens, i + 1);
    if (!typed) return null;
    i = typed.next;
  }
  const columns: ColumnDefinition[] = [];
  if (isPunct(tokens[i], '(')) {
    const close = closingParen(tokens, i);
    if (close < 0) return null;
    for (const el of splitTopLevel(tokens, i + 1, close)) {
      const head = el[0];
      if (!head) continue;
      if (head.kind === 'word' && TABLE_CONSTRAINT_WORDS.has(head.value)) continue;
      const name = identValue(head);
      if (name === null) continue;
      // Old PARTITION OF / OF type form: `col WITH OPTIONS …` or a bare constraint list.
      if (isWord(el[1], 'with') && isWord(el[2], 'options')) continue;
      let j = 1;
      let depth = 0;
      while (j < el.length) {
        const t = el[j]!;
        if (isPunct(t, '(')) depth++;
        else if (isPunct(t, ')')) depth--;
        else if (depth === 0 && t.kind === 'word' && COLUMN_CLAUSE_WORDS.has(t.value)) break;
        j++;
      }
      if (j === 1) continue;
      const type = sql.slice(el[1]!.start, el[j - 1]!.end).replace(/\s+/g, ' ');
      let generated = false;
      for (let k = j; k < el.length - 2; k++) {
        if (isWord(el[k], 'generated') && isWord(el[k + 1], 'always') && isWord(el[k + 2], 'as') && isPunct(el[k + 3], '(')) generated = true;
      }
      columns.push({ name, type, generated });
    }
    i = close + 1;
  }
  const inherits: QualifiedName[] = [];
  let partitioned = false;
  for (; i < tokens.length; i++) {
    if (isWord(tokens[i], 'inherits') && isPunct(tokens[i + 1], '(')) {
      const close = closingParen(tokens, i + 1);
      for (const el of splitTopLevel(tokens, i + 2, close < 0 ? tokens.length : close)) {
        const p = readQualifiedName(el, 0);
        if (p) inherits.push(p.name);
      }
    }
    if (isWord(tokens[i], 'partition') && isWord(tokens[i + 1], 'by')) partitioned = true;
  }
  return { table: qn.name, columns, partitioned, partitionOf, inherits };
}

/** Parses CREATE TYPE … AS ENUM (…); null for any other statement. */
export function parseCreateEnum(sql: string, standardStrings = true): EnumDefinition | null {
  const tokens = lexSql(sql, { standardStrings, where: 'a CREATE TYPE statement' });
  if (!isWord(tokens[0], 'create') || !isWord(tokens[1], 'type')) return null;
  const qn = readQualifiedName(tokens, 2);
  if (!qn) return null;
  let i = qn.next;
  if (!isWord(tokens[i], 'as') || !isWord(tokens[i + 1], 'enum') || !isPunct(tokens[i + 2], '(')) return null;
  i += 3;
  const labels: string[] = [];
  for (; i < tokens.length && !isPunct(tokens[i], ')'); i++) {
    if (tokens[i]!.kind === 'string') labels.push(tokens[i]!.value);
  }
  return { type: qn.name, labels };
}

/** Parses ALTER TABLE [ONLY] parent ATTACH PARTITION child …; null otherwise. */
export function parseAttachPartition(sql: string): { parent: QualifiedName; child: QualifiedName } | null {
  const tokens = lexSql(sql, { where: 'an ALTER TABLE statement' });
  if (!isWord(tokens[0], 'alter') || !isWord(tokens[1], 'table')) return null;
  let i = 2;
  if (isWord(tokens[i], 'if') && isWord(tokens[i + 1], 'exists')) i += 2;
  if (isWord(tokens[i], 'only')) i++;
  const parent = readQualifiedName(tokens, i);
  if (!parent) return null;
  i = parent.next;
  if (!isWord(tokens[i], 'attach') || !isWord(tokens[i + 1], 'partition')) return null;
  const child = readQualifiedName(tokens, i + 2);
  if (!child) return null;
  return { parent: parent.name, child: child.name };
}

/** Parses COPY s.t [(cols)] FROM stdin; null for other statements (including COPY … TO). */
export function parseCopyStatement(sql: string): CopyStatement | null {
  const tokens = lexSql(sql, { where: 'a COPY statement' });
  if (!isWord(tokens[0], 'copy')) return null;
  const qn = readQualifiedName(tokens, 1);
  if (!qn) return null;
  let i = qn.next;
  let columns: string[] | null = null;
  if (isPunct(tokens[i], '(')) {
    const close = closingParen(tokens, i);
    if (close < 0) return null;
    columns = [];
    for (const el of splitTopLevel(tokens, i + 1, close)) {
      const v = identValue(el[0]);
      if (v !== null) columns.push(v);
    }
    i = close + 1;
  }
  if (!isWord(tokens[i], 'from')) return null;
  const fromStdin = isWord(tokens[i + 1], 'stdin');
  return { table: qn.name, columns, fromStdin };
}

/** `SET name = value;`, `SET name TO value;` or `SELECT pg_catalog.set_config('name', 'value', …);`. */
export function parseSetting(sql: string): { name: string; value: string } | null {
  const tokens = lexSql(sql, { where: 'a SET statement' });
  if (isWord(tokens[0], 'set')) {
    let i = 1;
    if (isWord(tokens[i], 'session') || isWord(tokens[i], 'local')) i++;
    const name = identValue(tokens[i]);
    if (name === null) return null;
    if (!(isPunct(tokens[i + 1], '=') || isWord(tokens[i + 1], 'to'))) return null;
    const v = tokens[i + 2];
    if (!v) return null;
    return { name, value: v.value };
  }
  if (isWord(tokens[0], 'select')) {
    const qn = readQualifiedName(tokens, 1);
    if (!qn || qn.name.name !== 'set_config') return null;
    const strings = tokens.filter((t) => t.kind === 'string');
    if (strings.length < 2) return null;
    return { name: strings[0]!.value, value: strings[1]!.value };
  }
  return null;
}
