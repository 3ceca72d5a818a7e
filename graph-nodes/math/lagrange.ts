// Lagrange interpolation integrated exactly, for multistep solvers whose weights are integrals of
// the interpolating polynomial (DEIS). Polynomials are arrays of coefficients in ascending powers.

/** ℓ_j(u) = Π_{k≠j} (u − u_k)/(u_j − u_k), the basis polynomial that is 1 at nodes[j], 0 at the rest. */
export function lagrangeBasis(nodes: readonly number[], j: number): number[] {
  const uj = nodes[j]!;
  let poly = [1];
  nodes.forEach((uk, k) => {
    if (k === j) return;
    const scale = 1 / (uj - uk);
    // poly · (u − u_k)/(u_j − u_k)
    const next = new Array<number>(poly.length + 1).fill(0);
    poly.forEach((c, p) => {
      next[p + 1]! += c * scale;
      next[p]! -= c * uk * scale;
    });
    poly = next;
  });
  return poly;
}

/** p(u) for ascending coefficients p. */
export function evaluatePolynomial(poly: readonly number[], u: number): number {
  let value = 0;
  for (let p = poly.length - 1; p >= 0; p--) value = value * u + poly[p]!;
  return value;
}

function derivative(poly: readonly number[]): number[] {
  return poly.slice(1).map((c, p) => c * (p + 1));
}

/**
 * ∫_a^b p(u) e^u du, through the antiderivative e^u Σ_k (−1)^k p^{(k)}(u). Either limit may be
 * −∞, where the antiderivative vanishes.
 */
export function integratePolynomialTimesExp(poly: readonly number[], a: number, b: number): number {
  const antiderivative = (u: number): number => {
    if (u === -Infinity) return 0;
    let sum = 0;
    let sign = 1;
    for (let d: readonly number[] = poly; d.length > 0; d = derivative(d)) {
      sum += sign * evaluatePolynomial(d, u);
      sign = -sign;
    }
    return Math.exp(u) * sum;
  };
  return antiderivative(b) - antiderivative(a);
}
