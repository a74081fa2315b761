/** A SquareMatrix's rows as plain arrays, for the reference libraries the calc tests compare with. */
import type { SquareMatrix } from '../../core/calc/square-matrix';

export function matrixRows(m: SquareMatrix): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < m.size; i++) rows.push(Array.from(m.data.subarray(i * m.size, (i + 1) * m.size)));
  return rows;
}
