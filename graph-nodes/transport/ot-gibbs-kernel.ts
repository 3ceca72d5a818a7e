// The stabilised Gibbs kernel K_ij = exp((f_i + g_j − c_ij)/ε) of the Sinkhorn iterations, and
// its two matrix-vector products, dense or (when most entries are negligible) sparse.
//
// Truncation (Schmitzer 2019, §3.3): the solver rebuilds K right after an exact log-domain update
// of g, so Σ_i a_i K_ij = 1 and the plan is π_ij = a_i K_ij b_j ρ_i σ_j with scalings ρ, σ kept
// within [e^−τ, e^τ] (τ = 30) before they are absorbed and K is rebuilt. An entry K_ij < 1e-40 thus
// carries at most 1e-40 e^{2τ} a_i b_j ≈ 1e-14 a_i b_j of mass, and all of them together at most
// ~1e-14: far below the marginal tolerance. At small ε most entries are that small (at ε = 1e-3 on
// data of scale 2, ~90 %), and skipping them makes each iteration several times cheaper. The
// dense array is kept whole, so the plan the solver returns includes every entry.

/** Entries below this are left out of the sparse products (see above). */
export const KERNEL_TRUNCATION = 1e-40;
/** Switch to the sparse products when at most this fraction of entries is kept. */
const SPARSE_DENSITY = 0.4;

export class GibbsKernel {
  /** K, row-major [n, m], every entry (also the truncated ones). */
  readonly dense: Float64Array;
  /** Compressed rows of the kept entries, or null while the dense products are used. */
  private sparse: {
    readonly rowStart: Int32Array;
    readonly columns: Int32Array;
    readonly values: Float64Array;
  } | null = null;

  constructor(
    private readonly n: number,
    private readonly m: number,
  ) {
    this.dense = new Float64Array(n * m);
  }

  /** Fraction of the entries the products use (1 when dense). */
  get density(): number {
    return this.sparse ? this.sparse.values.length / (this.n * this.m) : 1;
  }

  /** K_ij = exp((f_i + g_j − c_ij)/ε), and the sparse form if it pays. */
  rebuild(f: Float64Array, g: Float64Array, cost: Float64Array, epsilon: number): void {
    const { n, m, dense } = this;
    const inverse = 1 / epsilon;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      const fi = f[i]!;
      for (let j = 0; j < m; j++) {
        const value = Math.exp((fi + g[j]! - cost[offset + j]!) * inverse);
        dense[offset + j] = value;
        if (value >= KERNEL_TRUNCATION) kept++;
      }
    }
    this.sparse = kept <= SPARSE_DENSITY * n * m ? this.compress(kept) : null;
  }

  /** out_i = Σ_j K_ij v_j. */
  multiply(v: Float64Array, out: Float64Array): void {
    const { n, m, dense, sparse } = this;
    if (sparse) {
      const { rowStart, columns, values } = sparse;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        const end = rowStart[i + 1]!;
        for (let k = rowStart[i]!; k < end; k++) sum += values[k]! * v[columns[k]!]!;
        out[i] = sum;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      let sum = 0;
      for (let j = 0; j < m; j++) sum += dense[offset + j]! * v[j]!;
      out[i] = sum;
    }
  }

  /** out_j = Σ_i u_i K_ij (row by row, so that memory is read in order). */
  multiplyTransposed(u: Float64Array, out: Float64Array): void {
    const { n, m, dense, sparse } = this;
    out.fill(0);
    if (sparse) {
      const { rowStart, columns, values } = sparse;
      for (let i = 0; i < n; i++) {
        const ui = u[i]!;
        const end = rowStart[i + 1]!;
        for (let k = rowStart[i]!; k < end; k++)
          out[columns[k]!] = out[columns[k]!]! + ui * values[k]!;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const ui = u[i]!;
      const offset = i * m;
      for (let j = 0; j < m; j++) out[j] = out[j]! + ui * dense[offset + j]!;
    }
  }

  private compress(kept: number) {
    const { n, m, dense } = this;
    const rowStart = new Int32Array(n + 1);
    const columns = new Int32Array(kept);
    const values = new Float64Array(kept);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const offset = i * m;
      for (let j = 0; j < m; j++) {
        const value = dense[offset + j]!;
        if (value >= KERNEL_TRUNCATION) {
          columns[k] = j;
          values[k] = value;
          k++;
        }
      }
      rowStart[i + 1] = k;
    }
    return { rowStart, columns, values };
  }
}
