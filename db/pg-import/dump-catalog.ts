/**
 * What the dump says about its tables (pg-import.md 2.5): column names and types from
 * CREATE TABLE, enum labels from CREATE TYPE … AS ENUM, and partition parents from
 * ALTER TABLE … ATTACH PARTITION (or the old PARTITION OF form). Used by the archive
 * reader (from TABLE / TYPE / TABLE ATTACH entries) and by the plain reader (from the DDL).
 *
 * The data of a partition belongs to its root table: `targetOf` follows the parents up.
 * Inherited columns (INHERITS) are looked up in the parents. Data-only dumps have no
 * CREATE TABLE: the caller's schema hint supplies the column types then.
 */
import {
  parseAttachPartition,
  parseCreateEnum,
  parseCreateTable,
  qualifiedKey,
  type ColumnDefinition,
  type QualifiedName,
  type TableDefinition,
} from './ddl-statements';
import { parsePgType, type PgType } from './pg-type';

export interface TableRef {
  readonly schema: string;
  readonly name: string;
}

export interface DumpColumn {
  readonly name: string;
  /** null when the dump has no definition and no hint covers the column. */
  readonly type: PgType | null;
  /** GENERATED ALWAYS AS (…) STORED (INSERT values are DEFAULT, i.e. null). */
  readonly generated: boolean;
}

/** Column names and PostgreSQL types a caller supplies for tables a dump does not define. */
export type SchemaHint = (schema: string, table: string) => readonly { readonly name: string; readonly type: string }[] | null;

export function refKey(r: TableRef): string {
  return `${r.schema}.${r.name}`;
}

export function toRef(n: QualifiedName, defaultSchema = 'public'): TableRef {
  return { schema: n.schema ?? defaultSchema, name: n.name };
}

export class DumpCatalog {
  private readonly tables = new Map<string, TableDefinition>();
  private readonly parents = new Map<string, TableRef>();
  readonly enums = new Map<string, string[]>();

  get tableCount(): number {
    return this.tables.size;
  }

  /** Feeds one DDL statement; statements that are not understood are ignored. */
  addDdl(sql: string, standardStrings: boolean): void {
    const head = /^\s*(\w+)\s+(\w+)(?:\s+(\w+))?/.exec(sql);
    if (!head) return;
    const w1 = head[1]!.toLowerCase();
    const w2 = head[2]!.toLowerCase();
    if (w1 === 'create' && (w2 === 'table' || w2 === 'unlogged' || w2 === 'foreign' || w2 === 'temp' || w2 === 'temporary')) {
      const t = parseCreateTable(sql, standardStrings);
      if (t) this.addTable(t);
    } else if (w1 === 'create' && w2 === 'type') {
      const e = parseCreateEnum(sql, standardStrings);
      if (e) this.enums.set(qualifiedKey(e.type), [...e.labels]);
    } else if (w1 === 'alter' && w2 === 'table') {
      const a = parseAttachPartition(sql);
      if (a) this.parents.set(refKey(toRef(a.child)), toRef(a.parent));
    }
  }

  addTable(t: TableDefinition): void {
    this.tables.set(qualifiedKey(t.table), t);
    if (t.partitionOf) this.parents.set(qualifiedKey(t.table), toRef(t.partitionOf));
  }

  hasTable(r: TableRef): boolean {
    return this.tables.has(refKey(r));
  }

  /** The defined tables that hold rows themselves, in definition order: all but partitioned tables, whose rows are in their partitions. */
  tablesHoldingRows(): TableRef[] {
    return [...this.tables.values()].filter((t) => !t.partitioned).map((t) => toRef(t.table));
  }

  /** The table whose data this relation's rows are: the partition root, or itself. */
  targetOf(r: TableRef): TableRef {
    let cur = r;
    const seen = new Set<string>();
    for (;;) {
      const k = refKey(cur);
      if (seen.has(k)) return cur;
      seen.add(k);
      const p = this.parents.get(k);
      if (!p) return cur;
      cur = p;
    }
  }

  /** All columns of a table in definition order (inherited and partition-parent columns resolved). */
  columnsOf(r: TableRef, depth = 0): ColumnDefinition[] | null {
    const t = this.tables.get(refKey(r));
    if (!t || depth > 32) return null;
    const own = [...t.columns];
    const inherited: ColumnDefinition[] = [];
    const parents: TableRef[] = t.inherits.map((p) => toRef(p));
    if (t.partitionOf) parents.push(toRef(t.partitionOf));
    for (const p of parents) {
      for (const c of this.columnsOf(p, depth + 1) ?? []) {
        if (!own.some((o) => o.name === c.name) && !inherited.some((o) => o.name === c.name)) inherited.push(c);
      }
    }
    return [...inherited, ...own];
  }

  /**
   * The data columns of a relation: the COPY column list when there is one (else every
   * non-generated defined column for COPY, every column for INSERTs), each with its type from
   * the definition, the partition root's definition, or the hint.
   */
  dataColumns(r: TableRef, listed: readonly string[] | null, kind: 'copy' | 'insert', hint: SchemaHint | undefined): { columns: DumpColumn[]; defined: boolean } {
    const defined = this.columnsOf(r) ?? this.columnsOf(this.targetOf(r));
    const hinted = defined ? null : hint?.(r.schema, r.name) ?? (r !== this.targetOf(r) ? hint?.(this.targetOf(r).schema, this.targetOf(r).name) : null) ?? null;
    const source: { name: string; type: string; generated: boolean }[] =
      defined ?? (hinted ? hinted.map((h) => ({ name: h.name, type: h.type, generated: false })) : []);
    const byName = new Map(source.map((c) => [c.name, c]));
    const names = listed ?? (kind === 'copy' ? source.filter((c) => !c.generated).map((c) => c.name) : source.map((c) => c.name));
    const columns = names.map((name) => {
      const c = byName.get(name);
      return { name, type: c ? safeType(c.type) : null, generated: c?.generated ?? false };
    });
    return { columns, defined: defined !== null };
  }
}

function safeType(text: string): PgType | null {
  try {
    return parsePgType(text);
  } catch {
    return null;
  }
}
