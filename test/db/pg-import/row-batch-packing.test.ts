/**
 * Packed batches (db/pg-import/row-batch-packing.ts) give back exactly the rows they were
 * made from: numbers (integers, fractions, -0, 2^53 - 1), strings (empty, non-ASCII, emoji,
 * control characters), nulls, blobs and mixed columns, conversion issues at their rows.
 * Reference: the input rows themselves (a round trip), plus the structured clone a worker
 * boundary applies to the packed form.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedRow } from '../../../db/pg-import/column-converter';
import { packBatch, unpackBatch } from '../../../db/pg-import/row-batch-packing';

const rows: DecodedRow[] = [
  { rowNumber: 7, values: [1, 'a', null, Buffer.from([0, 255]), 1, null], issues: null, hasErrors: false },
  { rowNumber: 8, values: [-0, '', null, null, 'x', null], issues: [{ code: 'lossy_numeric', severity: 'warning', column: 'c', raw: '0.1', message: 'lossy' }], hasErrors: false },
  { rowNumber: 9, values: [2 ** 53 - 1, 'caf\u00e9 \u{1F600}\t\n\\', null, Buffer.alloc(0), null, null], issues: null, hasErrors: false },
  { rowNumber: 10, values: [null, null, null, Buffer.from('z'), 2.5, null], issues: [{ code: 'invalid_value', severity: 'error', column: 'd', raw: 'q', message: 'bad' }], hasErrors: true },
];

describe('packed row batches', () => {
  it('round-trip every value kind, through a structured clone', () => {
    const { packed, transfer } = packBatch(rows, 6);
    expect(packed.columns.map((c) => c.kind)).toEqual(['num', 'str', 'null', 'any', 'any', 'null']);
    expect(transfer.length).toBe(3); // numbers, their null map, string lengths
    const cloned = structuredClone(packed, { transfer });
    const back = unpackBatch(cloned);
    expect(back).toEqual(rows);
    expect(Object.is(back[1]!.values[0], -0)).toBe(true);
    expect(Buffer.isBuffer(back[0]!.values[3])).toBe(true);
  });

  it('an empty batch and a batch of one null column', () => {
    expect(unpackBatch(packBatch([], 3).packed)).toEqual([]);
    const one: DecodedRow[] = [{ rowNumber: 1, values: [null], issues: null, hasErrors: false }];
    expect(unpackBatch(packBatch(one, 1).packed)).toEqual(one);
  });

  it('refuses batches whose row numbers are not consecutive (a bug, not input)', () => {
    expect(() => packBatch([rows[0]!, rows[2]!], 6)).toThrow(/not consecutive/);
  });
});
