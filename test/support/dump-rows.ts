/**
 * Helpers for comparing what the dump reader decodes with PostgreSQL's own text output
 * (the oracle files of test/fixtures/pg): text rows with generated columns dropped and
 * booleans written as `::text` writes them (COPY writes t/f, ::text writes true/false).
 */
import type { DumpReader } from '../../db/pg-import/dump-reader';
import type { DumpTable } from '../../db/pg-import/dump-model';

/** Every text row of a table, in dump order. */
export async function textRows(reader: DumpReader, table: DumpTable, batchSize = 1000): Promise<(string | null)[][]> {
  const out: (string | null)[][] = [];
  for await (const b of reader.textBatches(table, { batchSize })) out.push(...b.rows);
  return out;
}

/**
 * Text rows in the oracle's shape: generated columns dropped, booleans as true/false, and
 * character(n) without its padding (the `::text` cast of bpchar drops trailing spaces).
 */
export async function oracleShapedRows(reader: DumpReader, table: DumpTable, boolColumns?: ReadonlySet<string>): Promise<(string | null)[][]> {
  const keep = table.columns.map((c, i) => (c.generated ? -1 : i)).filter((i) => i >= 0);
  const bools = new Set(
    table.columns
      .map((c, i) => ((c.type?.base === 'boolean' && c.type.arrayDims === 0) || boolColumns?.has(c.name) ? i : -1))
      .filter((i) => i >= 0),
  );
  const bpchar = new Set(table.columns.map((c, i) => (c.type?.base === 'character' && c.type.arrayDims === 0 ? i : -1)).filter((i) => i >= 0));
  return (await textRows(reader, table)).map((r) =>
    keep.map((i) => {
      const v = r[i] ?? null;
      if (bpchar.has(i) && v !== null) return v.replace(/ +$/, '');
      if (bools.has(i) && v !== null) return v === 't' || v === 'true' ? 'true' : v === 'f' || v === 'false' ? 'false' : v;
      return v;
    }),
  );
}

export function tableKey(t: DumpTable): string {
  return `${t.schema}.${t.name}`;
}
