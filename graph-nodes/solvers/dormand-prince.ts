// The Dormand–Prince 5(4) pair (Dormand & Prince 1980; scipy's RK45) and its step-size control,
// shared by the tensor solver (rk45.ts) and the float64 likelihood integration
// (likelihood/pf-ode-likelihood.ts).

/** Stage nodes c_i (fractions of the step). */
export const DOPRI_NODES = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
/** Stage weights a_ij; the last row is the fifth-order solution, whose slope is the next k₁ (FSAL). */
export const DOPRI_STAGES: readonly (readonly number[])[] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
/** b − b̂: the weights of the local error estimate (fifth- minus fourth-order solution). */
export const DOPRI_ERROR_WEIGHTS = [
  71 / 57600,
  0,
  -71 / 16695,
  71 / 1920,
  -17253 / 339200,
  22 / 525,
  -1 / 40,
];

const SAFETY = 0.9;
const MIN_FACTOR = 0.2;
const MAX_FACTOR = 5;
/** The error estimate is O(h⁵): a step of factor f changes it by f⁵. */
const ERROR_EXPONENT = -1 / 5;

/**
 * The factor the next step is scaled by after a step whose error norm (error over tolerance) was
 * `error`: accepted (≤ 1) steps grow by up to 5×, rejected ones shrink by at least 5×.
 */
export function stepFactor(error: number): number {
  if (error <= 1)
    return error === 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * error ** ERROR_EXPONENT);
  return Math.max(MIN_FACTOR, SAFETY * error ** ERROR_EXPONENT);
}
