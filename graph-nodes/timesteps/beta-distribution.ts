// The Beta(a, b) distribution's CDF (the regularised incomplete beta function I_x(a, b)) and its
// inverse, for the beta timestep scheduler (scipy.stats.beta.ppf in ComfyUI).
//   I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · K(x),
// with K the continued fraction of Numerical Recipes §6.4, evaluated by the modified Lentz method;
// it converges fast for x < (a + 1)/(a + b + 2), and I_x(a, b) = 1 − I_{1−x}(b, a) covers the rest.
// The inverse is bisection on [0, 1]: slower than Newton, but it cannot leave the interval where
// the density is infinite (a or b < 1, as in the scheduler's 0.6, 0.6).

// Lanczos coefficients (g = 7, 9 terms): log Γ to about 1e-15 relative for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) {
    // reflection: Γ(x) Γ(1 − x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const shifted = x - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (shifted + i);
  const base = shifted + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(base) - base + Math.log(series);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const TINY = 1e-300;
const MAX_TERMS = 1000;

/** K(x) of NR's betacf; each loop pass adds the even and the odd term of the fraction. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const nonZero = (value: number): number => (Math.abs(value) < TINY ? TINY : value);
  let c = 1;
  let d = 1 / nonZero(1 - ((a + b) * x) / (a + 1));
  let fraction = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const twoM = 2 * m;
    const even = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    fraction *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < 1e-16) return fraction;
  }
  throw new Error(
    `incomplete beta: the continued fraction did not converge (x = ${x}, a = ${a}, b = ${b})`,
  );
}

function checkShape(a: number, b: number): void {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new Error(`Beta distribution: a and b must be positive numbers (got a = ${a}, b = ${b})`);
  }
}

/** I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  checkShape(a, b);
  if (!(x > 0)) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - betaCdf(1 - x, b, a);
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
}

/** The quantile (inverse CDF, scipy's ppf): the x with I_x(a, b) = p, for p ∈ [0, 1]. */
export function betaQuantile(p: number, a: number, b: number): number {
  checkShape(a, b);
  if (!(p >= 0 && p <= 1)) throw new Error(`Beta quantile: p must lie in [0, 1] (got ${p})`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  // A symmetric distribution has a symmetric quantile; use it exactly (the median is 1/2, not an
  // ulp beside it, which matters when the result is scaled and rounded to a table index).
  if (a === b) {
    if (p === 0.5) return 0.5;
    if (p > 0.5) return 1 - betaQuantile(1 - p, a, b);
  }
  let low = 0;
  let high = 1;
  for (;;) {
    const middle = 0.5 * (low + high);
    if (middle <= low || middle >= high) return middle;
    if (betaCdf(middle, a, b) < p) low = middle;
    else high = middle;
  }
}
