// The limits and rules node params share. Graph files are untrusted (docs/ARCHITECTURE.md, and the
// threat model in DESIGN.md): every value the math cannot use must be refused by the params schema,
// so that the compiler reports it as a GraphError naming node and param, before anything runs —
// never a TypeError, a NaN or an exhausted memory later. A rule used by several nodes lives here,
// with its one message; rules between params of one node are added with `withParamRules`.
import { z } from 'zod';

export const PARAM_LIMITS = {
  /**
   * Noise levels σ̃ a param may name. Samples are float32: beyond 1e6 (or below 1e-6) the
   * solvers' σ̃², 1/σ̃ and x̃/σ̃ lose every digit or overflow, and no schedule needs more (EDM
   * stops at 80, zero-terminal-SNR DDPM at about 4519, rectified flow at 999 × shift).
   */
  minNoiseLevel: 1e-6,
  maxNoiseLevel: 1e6,
  /** Largest magnitude of a coordinate, mean or std in data space (squares stay in float32). */
  coordinate: 1e6,
  /** Largest magnitude of a guidance scale w (typical scales are below 20). */
  guidanceScale: 1000,
  /** Timestep lists and solver runs (a trajectory keeps every step). */
  steps: 1000,
  /** Entries of a discrete noise table (DDPM's T training steps). */
  trainSteps: 100_000,
  /** Points a node draws or loads at once. */
  points: 1_000_000,
  /** Values in one point: its dimension, or the size of its shape (3 × 512 × 512 fits). */
  valuesPerPoint: 2 ** 20,
  /** Values a node allocates for its points (2^27 float32 values are 512 MiB). */
  values: 2 ** 27,
  /** Points per model call or training batch. */
  batchSize: 65_536,
  /** Components of a mixture given in a graph. */
  components: 10_000,
  /** Class labels are int32 (data sets store them as Int32Array, ONNX models take int32/int64). */
  classLabel: 2 ** 31 - 1,
  /** Karras-style spacing exponents ρ: σ̃^(1/ρ) and its ρ-th power stay inside float64. */
  minRho: 0.1,
  maxRho: 100,
} as const;

/** A number in a message: 1e-6 and 1e6 rather than 0.000001 and 1000000; 1000 stays 1000. */
export function formatLimit(value: number): string {
  const plain = String(value);
  const exponential = value.toExponential().replace('e+', 'e');
  return plain.length >= 7 && exponential.length < plain.length ? exponential : plain;
}

interface RangeOptions {
  /** Only whole numbers. */
  readonly integer?: boolean;
  /** The lower end is excluded: (min, max]. */
  readonly aboveMin?: boolean;
  /** The upper end is excluded: [min, max). */
  readonly belowMax?: boolean;
  /** What the number is, for the message ("a noise level σ̃"). */
  readonly what?: string;
}

/** What a range accepts, e.g. "expected an integer in [1, 1000]". */
function rangeMessage(min: number, max: number, options: RangeOptions): string {
  const kind = options.integer ? 'an integer' : 'a number';
  const what =
    options.what && options.integer ? `${options.what} (an integer)` : (options.what ?? kind);
  const open = options.aboveMin ? '(' : '[';
  const close = options.belowMax ? ')' : ']';
  return `expected ${what} in ${open}${formatLimit(min)}, ${formatLimit(max)}${close}`;
}

/**
 * A number in [min, max] (ends excluded on request), every violation said with one message that
 * states the range. The bounds are zod's own checks, so the docs and the inspector show them.
 */
export function numberIn(min: number, max: number, options: RangeOptions = {}) {
  const message = rangeMessage(min, max, options);
  let schema = z.number(message);
  if (options.integer) schema = schema.int(message);
  schema = options.aboveMin ? schema.gt(min, message) : schema.min(min, message);
  schema = options.belowMax ? schema.lt(max, message) : schema.max(max, message);
  return schema;
}

/** A number > 0 (any finite size), e.g. a mixture weight, which is normalised anyway. */
export function positiveNumber(what: string) {
  const message = `expected ${what} (a number > 0)`;
  return z.number(message).gt(0, message);
}

/** A noise level σ̃ within PARAM_LIMITS. */
export function noiseLevel() {
  return numberIn(PARAM_LIMITS.minNoiseLevel, PARAM_LIMITS.maxNoiseLevel, {
    what: 'a noise level σ̃',
  });
}

/** A noise level σ̃ within PARAM_LIMITS, or 0 for "the default" (usually the schedule's own). */
export function noiseLevelOrZero() {
  const message =
    `expected 0 or a noise level σ̃ in [${formatLimit(PARAM_LIMITS.minNoiseLevel)}, ` +
    `${formatLimit(PARAM_LIMITS.maxNoiseLevel)}]`;
  return z
    .number(message)
    .min(0, message)
    .max(PARAM_LIMITS.maxNoiseLevel, message)
    .refine((value) => value === 0 || value >= PARAM_LIMITS.minNoiseLevel, message);
}

/** A coordinate (or mean) in data space, |x| ≤ PARAM_LIMITS.coordinate. */
export function coordinate() {
  return numberIn(-PARAM_LIMITS.coordinate, PARAM_LIMITS.coordinate);
}

/** A standard deviation in data space, in [0, PARAM_LIMITS.coordinate]. */
export function standardDeviation() {
  return numberIn(0, PARAM_LIMITS.coordinate, { what: 'a standard deviation' });
}

/** A guidance scale w, |w| ≤ PARAM_LIMITS.guidanceScale. */
function guidanceScale() {
  return numberIn(-PARAM_LIMITS.guidanceScale, PARAM_LIMITS.guidanceScale, {
    what: 'a guidance scale',
  });
}

/**
 * A guidance node's scale param w: a slider over 0…15, the scales people use (typing goes beyond
 * it, up to the schema's bounds).
 */
export function guidanceScaleParam(defaultScale: number, description: string) {
  return guidanceScale().default(defaultScale).meta({
    title: 'Scale w',
    widget: 'slider',
    sliderMin: 0,
    sliderMax: 15,
    step: 0.1,
    description,
  });
}

/** A Karras-style spacing exponent ρ. */
export function spacingExponent() {
  return numberIn(PARAM_LIMITS.minRho, PARAM_LIMITS.maxRho, { what: 'an exponent ρ' });
}

/**
 * An error tolerance of an adaptive solver (rtol, atol). Samples are float32 (about 7 digits):
 * a tolerance far below that cannot be met, and the step size would shrink without end.
 */
export function tolerance() {
  return numberIn(1e-8, 1, { what: 'a tolerance' });
}

/** A class label: an int32 ≥ `min` (−1 where it means "all classes"). */
export function classLabel(min: number) {
  return numberIn(min, PARAM_LIMITS.classLabel, { integer: true, what: 'a class label' });
}

/** Reports one problem with the params: the path of the param it is about, and what is wrong. */
export type ReportParamProblem = (path: readonly (string | number)[], message: string) => void;

/**
 * Adds rules between params (lengths that must match, min < max, limits on a product) to a params
 * object. They run only when every param is valid on its own, so they can rely on types and
 * ranges, and a value is not blamed twice. The result is still the same ZodObject (its shape, and
 * the docs and inspector that read it, are unchanged).
 */
export function withParamRules<T extends z.ZodObject>(
  schema: T,
  rules: (params: z.output<T>, report: ReportParamProblem) => void,
): T {
  return schema.superRefine(
    (params, ctx) => {
      rules(params, (path, message) => {
        ctx.addIssue({ code: 'custom', path: [...path], message });
      });
    },
    { when: (payload) => payload.issues.length === 0 },
  );
}

/**
 * The rule `high > low` between two params, reported on `high`, naming `low` and its value.
 * Returns whether it holds, for rules that build on it.
 */
export function requireAbove<P extends object>(
  params: P,
  high: keyof P & string,
  low: keyof P & string,
  report: ReportParamProblem,
): boolean {
  const highValue = params[high] as number;
  const lowValue = params[low] as number;
  if (highValue > lowValue) return true;
  report([high], `must be greater than ${low} = ${lowValue} (got ${highValue})`);
  return false;
}
