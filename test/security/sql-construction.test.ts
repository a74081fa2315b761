/**
 * No SQL is built from input by string concatenation (issue 9, SPEC.md 0.4). Every value
 * reaches SQLite as a bound parameter (`?`); text may be spliced into SQL only when it cannot
 * come from a user, a file or the network.
 *
 * The test parses the product code (core, db, host, cli, market-data, electron) with the
 * TypeScript compiler and finds every template literal and every `+` that builds SQL (text
 * with SQL statements, clauses or placeholders in it). Each piece spliced in must be one of
 * the reviewed patterns below, else the test names the file, the line and the expression:
 *
 *   1. placeholders: `x.map(() => '?').join(', ')`, `inList(...)`, `valueRows(c, r)`, `marks(n)`: only `?` and
 *      commas, however many values there are;
 *   2. constants: an expression whose free identifiers are all UPPER_SNAKE constants (column
 *      lists, table names, fixed clauses), even when mapped or joined;
 *   3. quoted identifiers: `name.replace(/"/g, '""')` or `.replaceAll('"', '""')` inside
 *      double quotes: the names come from sqlite_master or PRAGMA output of our own schema;
 *   4. fixed fragments from typed helpers: `visibleDateSql('<literal>')` (its parameter is a
 *      union of column names), drizzle's `getTableName(table)`, `sql.raw(quoteList(...))` of
 *      the schema's CHECK lists;
 *   5. what a file builds from the above: a `const` whose initialiser is allowed, a local
 *      quoting helper `q = (c) => \`"${c.replace(/"/g, '""')}"\`` applied to names
 *      (`q(t)`, `names.map(q).join(', ')`), conditionals and templates of allowed parts;
 *   6. reviewed local names, per file, with the reason each cannot carry input (REVIEWED).
 * Tagged templates (drizzle's sql`...`) bind their values and are not string building.
 *
 * A new splice that fits none of these fails here: bind it as a parameter, or, if it truly
 * cannot carry input, add it to REVIEWED with the reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli';

const ROOTS = ['core', 'db', 'host', 'cli', 'market-data', 'electron'];

/** Text that is (a piece of) SQL: statements, clauses, placeholders, upsert targets. */
const SQL_TEXT =
  /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\S+\s+SET\b|\bDELETE\s+FROM\b|\bPRAGMA\s|\bCREATE\s+(TABLE|INDEX|UNIQUE)\b|\bDROP\s+(TABLE|INDEX)\b|\bALTER\s+TABLE\b|\bWHERE\b|\bAND\b|\bOR\b|\bIN\s*\(|\bIS\s+(NOT\s+)?NULL\b|[=<>]\s*\?|\?\s*,|\bexcluded\.|\bSET\b/;

/** Pattern 5: local names that only ever hold constants, catalog names or placeholder clauses. */
const REVIEWED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'core/engine/settings.ts': {
    keys: "the engine's own SETTING_KEYS that failed their schema, quoted: advice text for the user to run, never executed",
  },
  'db/repositories/tracking-repository.ts': {
    storedColumns: 'the column names of a batch_run_tracking row as SELECT * returned it (restoreTracking puts the row back), never input',
  },
  'db/canonical.ts': {
    table: 'a table of the canonical catalog: tableSpec(table) throws for any other name before the query',
    where: 'scopeWhere(): catalog date columns and ? placeholders only',
  },
  'db/table-scope.ts': {
    'spec.dateColumn': 'a date column name from the constant table catalog',
    "inner.join(' AND ')": 'clauses built above from literals and marks(n) placeholders',
    table: 'the quoted name of a table of the constant catalog',
    aggregates: 'groupedByPortfolioOnDate() is called with literal aggregate lists only',
  },
  'db/maintenance/purge-derived.ts': {
    column: 'rangeSql() is called with literal column names only',
    'w.where': 'scopeWhere(): catalog columns and ? placeholders',
    't.name': 'a table of the constant derived-table catalog',
    'lots.where': 'rangeSql()/scope clauses: literals and ? placeholders',
    'snaps.where': 'rangeSql()/scope clauses: literals and ? placeholders',
    'tr.where': 'rangeSql()/scope clauses: literals and ? placeholders',
    'lotScope.where': 'rangeSql()/scope clauses: literals and ? placeholders',
  },
  'db/diagnostics/portfolio-date-inputs.ts': {
    pf: 'an IN list of ? placeholders',
    t: 'a table of the constant ANALYTICS_TABLES list',
    'w.where': 'scopeWhere(): catalog columns and ? placeholders',
  },
  'db/csv-transfer/price-transfer.ts': { "where.join(' AND ')": 'literal clauses and an inList() of placeholders' },
  'db/csv-transfer/profile-transfer.ts': { c: 'an element of the constant COLUMNS list' },
  'db/repositories/analytics-repository.ts': {
    'SNAPSHOT_ANALYTICS_COLUMNS[k]': 'a column name from a constant map; k is a key of that map',
    "[...sets, 'analytics_computed_at = ?'].join(', ')": '`col = ?` pairs of the constant SNAPSHOT_ANALYTICS_COLUMNS map',
  },
  'db/typed-insert.ts': {
    verb: "'INSERT' or 'INSERT OR REPLACE', chosen by the caller in code",
    "columns.map(([, c]) => `\"${c.name}\"`).join(', ')": 'column names of a drizzle schema table object',
  },
  'db/pg-import/table-writer.ts': {
    'target.name': 'a table of our own schema (the import target), never a name from the dump',
    table: 'o.target.name: a table of our own schema (the import target)',
    quoted: 'quoted column names of our own schema',
    "pk.map((k) => `\"${k}\" = ?`).join(' AND ')": 'primary-key columns of our own schema with placeholders',
    "natural.map((k) => `\"${k}\" IS ?`).join(' AND ')": 'natural-key columns of our own schema with placeholders',
    "this.updateCols.map((c) => `\"${c.name}\" = ?`).join(', ')": 'columns of our own schema (PRAGMA table_info of the target) with placeholders',
    "setCols.map((c) => `\"${c.name}\" = ?`).join(', ')": 'columns of our own schema with placeholders',
    'fk.parent': 'a parent table named by PRAGMA foreign_key_list of our own schema',
    'fk.parentColumn': 'a parent column named by PRAGMA foreign_key_list of our own schema',
  },
  'db/pg-import/import-post-steps.ts': { 'r.table': 'a table name reported by PRAGMA foreign_key_check on our own schema' },
  'host/maintenance/dump-import.ts': {
    table: 'a key of the constant CATALOG_COLUMNS map (factor_definitions, stress_test_scenarios)',
    "keep.map((c) => `\"${c}\" = ?`).join(', ')": 'column names of our own reference table (the keys of its SELECT * rows), with placeholders',
  },
  'host/views/completeness.ts': { dateColumn: 'typed as a union of five literal column names' },
  'host/diagnostics/verify-coverage.ts': {
    table: 'a table of the constant catalog (tableSpec(table)! before the query)',
    'w.where': 'scopeWhere(): catalog columns and ? placeholders',
  },
  'host/diagnostics/verify-rowcounts.ts': {
    table: 'a table that has a spec in the constant catalog (checked just above)',
    'spec.dateColumn': 'a date column name from the constant table catalog',
    'w.where': 'scopeWhere(): catalog columns and ? placeholders',
  },
  'db/table-counts.ts': { internal: "a literal clause or '', chosen in code" },
  'host/seed-demo.ts': {
    q: 'an IN list of ? placeholders',
    t: 'an element of a literal list of table names in the loop above',
    lotSub: 'a subquery built from literals and q',
    "Object.keys(values).join(', ')": 'the keys of an object literal written in this file',
    "Object.keys(values).map((k) => `${k} = ?`).join(', ')": 'the keys of an object literal written in this file, with placeholders',
  },
};

interface Splice {
  readonly file: string;
  readonly line: number;
  readonly expr: string;
  readonly kind: 'template' | 'concatenation';
}

function productFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'node_modules') walk(p);
      } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const r of ROOTS) walk(join(REPO_ROOT, r));
  return out;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/\. /g, '.').trim();
}

/** Free identifiers of an expression (not property names, not names bound by its own arrow functions). */
function freeIdentifiers(expr: ts.Expression): string[] {
  const bound = new Set<string>();
  const free: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      for (const p of n.parameters) {
        const collect = (b: ts.BindingName) => {
          if (ts.isIdentifier(b)) bound.add(b.text);
          else for (const e of b.elements) if (!ts.isOmittedExpression(e)) collect(e.name);
        };
        collect(p.name);
      }
    }
    if (ts.isPropertyAccessExpression(n)) {
      visit(n.expression);
      return;
    }
    if (ts.isIdentifier(n)) free.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return free.filter((id) => !bound.has(id) && id !== 'Object' && id !== 'undefined');
}

const PLACEHOLDERS = [/\.map\(\(\) => '\?'\)\.join\(', '\)$/, /^inList(\(.*\))?$/, /^valueRows\(.*\)$/, /^marks\(.*\)$/];
const QUOTED_IDENTIFIER = /\.replace\(\/"\/g, '""'\)$|\.replaceAll\('"', '""'\)$/;
const FIXED_HELPERS = [/^visibleDateSql\('[a-z_.]+'\)$/, /^getTableName\(table\)$/, /^sql\.raw\(quoteList\(values\)\)$/];

/** What a file defines that the rules can follow: quoting helpers and `const` initialisers. */
interface FileFacts {
  /** Names of local functions `(x) => \`"${x.replace(/"/g, '""')}"\``: they quote an identifier. */
  readonly quoters: ReadonlySet<string>;
  /** `const NAME = <expression>` declarations (names declared once in the file). */
  readonly constants: ReadonlyMap<string, ts.Expression>;
}

const NO_FACTS: FileFacts = { quoters: new Set(), constants: new Map() };

function fileFacts(src: ts.SourceFile): FileFacts {
  const quoters = new Set<string>();
  const seen = new Map<string, number>();
  const decls = new Map<string, ts.Expression>();
  const visit = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isVariableDeclarationList(n.parent) && (n.parent.flags & ts.NodeFlags.Const) !== 0) {
      const name = n.name.text;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      decls.set(name, n.initializer);
      const init = n.initializer;
      if (ts.isArrowFunction(init) && init.parameters.length === 1 && ts.isTemplateExpression(init.body)) {
        const body = init.body;
        const only = body.templateSpans.length === 1 ? body.templateSpans[0]! : null;
        if (only && body.head.text === '"' && only.literal.text === '"' && QUOTED_IDENTIFIER.test(normalise(only.expression.getText(src)))) quoters.add(name);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  const constants = new Map([...decls].filter(([name]) => seen.get(name) === 1));
  return { quoters, constants };
}

function allowed(s: Splice, node: ts.Expression, facts: FileFacts = NO_FACTS, depth = 0): boolean {
  if (PLACEHOLDERS.some((p) => p.test(s.expr)) || QUOTED_IDENTIFIER.test(s.expr) || FIXED_HELPERS.some((p) => p.test(s.expr))) return true;
  const ids = freeIdentifiers(node);
  if (ids.length > 0 && ids.every((id) => /^[A-Z][A-Z0-9_]*$/.test(id))) return true;
  if (REVIEWED[s.file]?.[s.expr] !== undefined) return true;
  if (depth > 4) return false;
  const sub = (e: ts.Expression) => allowed({ ...s, expr: normalise(e.getText()) }, e, facts, depth + 1);
  // Literals written in the code; conditionals and nested templates of allowed parts.
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return true;
  if (ts.isParenthesizedExpression(node)) return sub(node.expression);
  if (ts.isConditionalExpression(node)) return sub(node.whenTrue) && sub(node.whenFalse);
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((sp) => sub(sp.expression));
  // A local quoting helper quotes whatever it is given: q(name), names.map(q).join(', ').
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && facts.quoters.has(node.expression.text)) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join' && node.arguments.every((a) => ts.isStringLiteral(a))) {
    const mapped = node.expression.expression;
    if (ts.isCallExpression(mapped) && ts.isPropertyAccessExpression(mapped.expression) && mapped.expression.name.text === 'map' && mapped.arguments.length === 1) {
      const fn = mapped.arguments[0]!;
      if (ts.isIdentifier(fn) && facts.quoters.has(fn.text)) return true;
      // .map((c) => `${q(c)} IS NOT NULL`): every piece of the mapped text is allowed on its own.
      if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body) && sub(fn.body)) return true;
    }
  }
  // A `const` whose initialiser is allowed.
  if (ts.isIdentifier(node)) {
    const init = facts.constants.get(node.text);
    if (init) return sub(init);
  }
  return false;
}

function scan(): { splices: Splice[]; refused: Splice[] } {
  const splices: Splice[] = [];
  const refused: Splice[] = [];
  for (const path of productFiles()) {
    const file = relative(REPO_ROOT, path).split('\\').join('/');
    const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const facts = fileFacts(src);
    const note = (node: ts.Expression, kind: Splice['kind']) => {
      const s: Splice = { file, line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1, expr: normalise(node.getText(src)), kind };
      splices.push(s);
      if (!allowed(s, node, facts)) refused.push(s);
    };
    const visit = (n: ts.Node) => {
      if (ts.isTemplateExpression(n) && !ts.isTaggedTemplateExpression(n.parent)) {
        const text = [n.head.text, ...n.templateSpans.map((sp) => sp.literal.text)].join(' \u0000 ');
        if (SQL_TEXT.test(text)) {
          // The splice is judged as a whole: templates nested inside it are covered by that decision.
          for (const sp of n.templateSpans) note(sp.expression, 'template');
          return;
        }
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const isSqlLiteral = (e: ts.Expression) => (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && SQL_TEXT.test(e.text);
        const isLiteral = (e: ts.Expression) => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e);
        if (isSqlLiteral(n.left) && !isLiteral(n.right)) note(n.right, 'concatenation');
        if (isSqlLiteral(n.right) && !isLiteral(n.left)) note(n.left, 'concatenation');
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return { splices, refused };
}

describe('SQL is never built from input by string concatenation', () => {
  const { splices, refused } = scan();

  it('finds the SQL the product builds (the scan sees the known splices)', () => {
    // Known reviewed splices prove the scan works: a visibility fragment and an IN list.
    expect(splices.some((s) => s.file === 'host/views/tracking-view.ts' && s.expr.startsWith('visibleDateSql('))).toBe(true);
    expect(splices.some((s) => s.expr.startsWith('inList('))).toBe(true);
    expect(splices.length).toBeGreaterThan(40);
  });

  it('every splice into SQL is a reviewed pattern (placeholders, constants, quoted schema names, fixed fragments)', () => {
    expect(refused.map((s) => `${s.file}:${s.line} ${s.kind} \${${s.expr}}`)).toEqual([]);
  });

  it('the rule refuses input spliced into SQL and follows only safe definitions (a self-check)', () => {
    const code = [
      "const q = (c: string) => `\"${c.replace(/\"/g, '\"\"')}\"`;",
      'const fromInput = input.table;',
      'const quoted = names.map(q).join(\', \');',
      "db.prepare(`SELECT * FROM positions WHERE symbol = '${input.symbol}'`);",
      'db.exec("DELETE FROM t WHERE id = " + id);',
      'db.prepare(`SELECT ${quoted} FROM ${q(name)} WHERE x = ?`);',
      'db.prepare(`SELECT * FROM ${fromInput} WHERE x = ?`);',
    ].join('\n');
    const src = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
    const facts = fileFacts(src);
    expect([...facts.quoters]).toEqual(['q']);
    const found: string[] = [];
    const check = (e: ts.Expression) => {
      if (!allowed({ file: 'x.ts', line: 1, expr: normalise(e.getText(src)), kind: 'template' }, e, facts)) found.push(e.getText(src));
    };
    const visit = (n: ts.Node) => {
      if (ts.isTemplateExpression(n) && SQL_TEXT.test(n.head.text + n.templateSpans.map((sp) => sp.literal.text).join(' '))) for (const sp of n.templateSpans) check(sp.expression);
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) check(n.right);
      ts.forEachChild(n, visit);
    };
    visit(src);
    expect(found).toEqual(['input.symbol', 'id', 'fromInput']);
  });
});
