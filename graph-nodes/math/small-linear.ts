// Dense solve for the tiny (≤ 4×4) systems of solver coefficients, in float64.

/** x with A x = b, by Gaussian elimination with partial pivoting. A is row-major, n × n. */
export function solveLinearSystem(
  matrix: readonly (readonly number[])[],
  rhs: readonly number[],
): number[] {
  const n = rhs.length;
  const a = matrix.map((row, r) => {
    if (row.length !== n)
      throw new Error(`solveLinearSystem: row ${r} has ${row.length} entries, expected ${n}`);
    return [...row, rhs[r]!];
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    }
    if (a[pivot]![col] === 0) throw new Error('solveLinearSystem: the matrix is singular');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const pivotRow = a[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = a[r]!;
      const factor = row[col]! / pivotRow[col]!;
      for (let c = col; c <= n; c++) row[c]! -= factor * pivotRow[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r]!;
    let sum = row[n]!;
    for (let c = r + 1; c < n; c++) sum -= row[c]! * x[c]!;
    x[r] = sum / row[r]!;
  }
  return x;
}
