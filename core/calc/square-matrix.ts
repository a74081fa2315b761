/**
 * A dense square matrix stored row-major in a Float64Array: element (i, j) is
 * `data[i * size + j]`. Used for correlation matrices (d.11, d.12) and eigen-decompositions.
 */
export interface SquareMatrix {
  readonly size: number;
  readonly data: Float64Array;
}

export function squareMatrix(size: number, data: Float64Array = new Float64Array(size * size)): SquareMatrix {
  if (data.length !== size * size) throw new RangeError(`squareMatrix: ${data.length} values for size ${size}`);
  return { size, data };
}

export function identityMatrix(size: number): SquareMatrix {
  const m = squareMatrix(size);
  for (let i = 0; i < size; i++) m.data[i * size + i] = 1;
  return m;
}

export function matrixAt(m: SquareMatrix, i: number, j: number): number {
  return m.data[i * m.size + j]!;
}
