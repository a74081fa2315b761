/**
 * Cholesky solve of a symmetric positive definite system A x = b (used by the ridge
 * regression of SPEC.md d.7, whose 6 × 6 matrix ZᵀZ + αI is SPD for α > 0).
 *
 * A is given row-major (size × size); only its lower triangle is read. A = L Lᵀ, then
 * L z = b and Lᵀ x = z. Returns null when a pivot is not strictly positive or not finite
 * (A not positive definite, or NaN in A): the caller reports a coded reason.
 */
export function choleskySolve(a: ArrayLike<number>, size: number, b: ArrayLike<number>): Float64Array | null {
  if (a.length < size * size || b.length < size) throw new RangeError('choleskySolve: input shorter than size');
  const l = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * size + j]!;
      for (let k = 0; k < j; k++) s -= l[i * size + k]! * l[j * size + k]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        l[i * size + i] = Math.sqrt(s);
      } else {
        l[i * size + j] = s / l[j * size + j]!;
      }
    }
  }
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * size + k]! * x[k]!;
    x[i] = s / l[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < size; k++) s -= l[k * size + i]! * x[k]!;
    x[i] = s / l[i * size + i]!;
  }
  for (let i = 0; i < size; i++) if (!Number.isFinite(x[i]!)) return null;
  return x;
}
