/**
 * A batch of converted rows in a form that crosses a worker-thread boundary cheaply: column
 * by column, numbers in a Float64Array (transferred, not copied) with a null map, strings
 * joined into one string with their lengths, anything else (blobs, mixed columns) as a plain
 * array. Structured cloning of 5,000 row objects costs several times more than packing and
 * unpacking them this way. Conversion issues travel as a sparse list.
 *
 * Row numbers of a batch are consecutive (the reader numbers rows 1, 2, 3 …), so only the
 * first is sent.
 */
import type { DecodedRow } from './column-converter';
import type { SqliteValue, ValueIssue } from './value-issue';

export type PackedColumn =
  | { readonly kind: 'null' }
  | { readonly kind: 'num'; readonly values: Float64Array; readonly nulls: Uint8Array | null }
  | { readonly kind: 'str'; readonly text: string; readonly lengths: Int32Array }
  | { readonly kind: 'any'; readonly values: SqliteValue[] };

export interface PackedBatch {
  readonly rows: number;
  readonly firstRow: number;
  readonly columns: readonly PackedColumn[];
  readonly issues: readonly { readonly at: number; readonly issues: readonly ValueIssue[]; readonly hasErrors: boolean }[];
}

function anyColumn(rows: readonly DecodedRow[], c: number): PackedColumn {
  return { kind: 'any', values: rows.map((r) => r.values[c] ?? null) };
}

/** One pass: the first non-null value picks numbers or strings; anything else is sent as is. */
function packColumn(rows: readonly DecodedRow[], c: number): PackedColumn {
  const n = rows.length;
  let first = 0;
  while (first < n && (rows[first]!.values[c] ?? null) === null) first++;
  if (first === n) return { kind: 'null' };
  const sample = rows[first]!.values[c];
  if (typeof sample === 'number') {
    const values = new Float64Array(n);
    let nulls: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const v = rows[i]!.values[c];
      if (typeof v === 'number') values[i] = v;
      else if (v === null || v === undefined) (nulls ??= new Uint8Array(n))[i] = 1;
      else return anyColumn(rows, c);
    }
    return { kind: 'num', values, nulls };
  }
  if (typeof sample === 'string') {
    const lengths = new Int32Array(n);
    let text = '';
    for (let i = 0; i < n; i++) {
      const v = rows[i]!.values[c];
      if (typeof v === 'string') {
        lengths[i] = v.length;
        text += v;
      } else if (v === null || v === undefined) lengths[i] = -1;
      else return anyColumn(rows, c);
    }
    return { kind: 'str', text, lengths };
  }
  return anyColumn(rows, c);
}

/** Packs a batch; the second result lists the buffers to transfer. */
export function packBatch(rows: readonly DecodedRow[], columnCount: number): { packed: PackedBatch; transfer: ArrayBuffer[] } {
  const columns: PackedColumn[] = [];
  const transfer: ArrayBuffer[] = [];
  for (let c = 0; c < columnCount; c++) {
    const col = packColumn(rows, c);
    if (col.kind === 'num') {
      transfer.push(col.values.buffer as ArrayBuffer);
      if (col.nulls) transfer.push(col.nulls.buffer as ArrayBuffer);
    } else if (col.kind === 'str') transfer.push(col.lengths.buffer as ArrayBuffer);
    columns.push(col);
  }
  const issues: { at: number; issues: readonly ValueIssue[]; hasErrors: boolean }[] = [];
  const firstRow = rows.length > 0 ? rows[0]!.rowNumber : 1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.rowNumber !== firstRow + i) throw new Error(`row numbers of a batch are not consecutive (${r.rowNumber} at ${i} after ${firstRow})`);
    if (r.issues) issues.push({ at: i, issues: r.issues, hasErrors: r.hasErrors });
  }
  return { packed: { rows: rows.length, firstRow, columns, issues }, transfer };
}

/** The rows of a packed batch (blobs come back as Buffers, as the reader made them). */
export function unpackBatch(p: PackedBatch): DecodedRow[] {
  const n = p.rows;
  const width = p.columns.length;
  const values: SqliteValue[][] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = new Array<SqliteValue>(width);
  for (let c = 0; c < width; c++) {
    const col = p.columns[c]!;
    switch (col.kind) {
      case 'null':
        for (let i = 0; i < n; i++) values[i]![c] = null;
        break;
      case 'num':
        for (let i = 0; i < n; i++) values[i]![c] = col.nulls && col.nulls[i] === 1 ? null : col.values[i]!;
        break;
      case 'str': {
        let at = 0;
        for (let i = 0; i < n; i++) {
          const len = col.lengths[i]!;
          if (len < 0) values[i]![c] = null;
          else {
            values[i]![c] = col.text.slice(at, at + len);
            at += len;
          }
        }
        break;
      }
      case 'any':
        for (let i = 0; i < n; i++) {
          // Structured cloning turns a Buffer into a plain Uint8Array; SQLite binds Buffers.
          const v = (col.values[i] ?? null) as unknown;
          values[i]![c] = v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : (v as SqliteValue);
        }
        break;
    }
  }
  const out: DecodedRow[] = new Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const extra = next < p.issues.length && p.issues[next]!.at === i ? p.issues[next++]! : null;
    out[i] = { rowNumber: p.firstRow + i, values: values[i]!, issues: extra ? extra.issues : null, hasErrors: extra ? extra.hasErrors : false };
  }
  return out;
}
