// Classic 2-D toy distributions for watching samplers work.
//
// Each shape is an ideal curve or set of points, moved and scaled (by the constants below, derived
// in their comments) so that it is centred at 0 with unit standard deviation per axis; then every
// point gets Gaussian jitter of standard deviation `noise` in those units. The jitter draws happen
// even when noise = 0, so moving the noise slider moves the same points rather than new ones.
import { createRng, type Rng } from './rng';

export const TOY_2D_SHAPES = [
  'two_moons',
  'swiss_roll',
  'checkerboard',
  'eight_gaussians',
  'rings',
] as const;
export type Toy2dShape = (typeof TOY_2D_SHAPES)[number];

export interface Toy2dPoints {
  /** Row-major [count, 2]. */
  readonly points: Float64Array;
  /** Class of each point (see each shape for its meaning). */
  readonly labels: Int32Array;
}

interface LabelledPoint {
  readonly x: number;
  readonly y: number;
  readonly label: number;
}

/** Number of classes each shape labels its points with. */
export const TOY_2D_CLASS_COUNT: Readonly<Record<Toy2dShape, number>> = {
  two_moons: 2,
  swiss_roll: 2,
  checkerboard: 2,
  eight_gaussians: 8,
  rings: 4,
};

/** Draws `count` points of `shape`; the same arguments always give the same points. */
export function generateToy2d(
  shape: Toy2dShape,
  count: number,
  seed: number,
  noise: number,
): Toy2dPoints {
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`toy data: count must be a whole number ≥ 0 (got ${count})`);
  }
  if (!(noise >= 0)) throw new Error(`toy data: noise must be ≥ 0 (got ${noise})`);
  const drawIdealPoint = IDEAL_SHAPES[shape];
  if (!drawIdealPoint) throw new Error(`toy data: unknown shape "${shape}"`);

  const rng = createRng(seed);
  const points = new Float64Array(2 * count);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const ideal = drawIdealPoint(rng);
    points[2 * i] = ideal.x + noise * rng.normal();
    points[2 * i + 1] = ideal.y + noise * rng.normal();
    labels[i] = ideal.label;
  }
  return { points, labels };
}

/** Picks one of `k` classes with equal probability. */
function pickClass(rng: Rng, k: number): number {
  return Math.min(k - 1, Math.floor(rng.uniform() * k));
}

// Two moons (label 0: the upper moon (cos θ, sin θ); label 1: the lower one
// (1 − cos θ, ½ − sin θ)), θ uniform on [0, π], each moon with probability ½.
// x: each moon has variance ½ about means 0 and 1, so mean ½ and variance ½ + ¼.
// y: E sin θ = 2/π, E sin²θ = ½; the moons' means are 2/π and ½ − 2/π, so the mean is ¼ and the
// variance is (½ − 4/π²) within plus ((4/π − ½)/2)² between.
const MOONS_MEAN_X = 0.5;
const MOONS_STD_X = Math.sqrt(0.75);
const MOONS_MEAN_Y = 0.25;
const MOONS_STD_Y = Math.sqrt(0.5 - 4 / Math.PI ** 2 + ((4 / Math.PI - 0.5) / 2) ** 2);

function twoMoons(rng: Rng): LabelledPoint {
  const label = pickClass(rng, 2);
  const theta = Math.PI * rng.uniform();
  const x = label === 0 ? Math.cos(theta) : 1 - Math.cos(theta);
  const y = label === 0 ? Math.sin(theta) : 0.5 - Math.sin(theta);
  return { x: (x - MOONS_MEAN_X) / MOONS_STD_X, y: (y - MOONS_MEAN_Y) / MOONS_STD_Y, label };
}

// Swiss roll: the spiral (t cos t, t sin t) with t uniform on [1.5π, 4.5π] (1½ turns).
// Label 0 for the inner half (t < 3π), 1 for the outer half. Its moments have no tidy closed
// form, so they are integrated numerically over t once.
const SWISS_T_MIN = 1.5 * Math.PI;
const SWISS_T_MAX = 4.5 * Math.PI;
const SWISS_MOMENTS = momentsOverParameter(
  (t) => [t * Math.cos(t), t * Math.sin(t)],
  SWISS_T_MIN,
  SWISS_T_MAX,
);

function swissRoll(rng: Rng): LabelledPoint {
  const t = SWISS_T_MIN + (SWISS_T_MAX - SWISS_T_MIN) * rng.uniform();
  const label = t < (SWISS_T_MIN + SWISS_T_MAX) / 2 ? 0 : 1;
  return {
    x: (t * Math.cos(t) - SWISS_MOMENTS.meanX) / SWISS_MOMENTS.stdX,
    y: (t * Math.sin(t) - SWISS_MOMENTS.meanY) / SWISS_MOMENTS.stdY,
    label,
  };
}

// Checkerboard: uniform over the 8 dark squares of a 4 × 4 board on [−2, 2]², the dark squares
// being those whose column i and row j (0..3) have i + j even. Every column and every row holds
// two dark squares, so each axis is uniform on [−2, 2]: mean 0, variance 16/12.
// Label: i mod 2. Dark squares that touch at a corner get different labels, so the labels
// colour the dark squares alternately.
export const CHECKERBOARD_SQUARE_SIZE = 1 / Math.sqrt(16 / 12);

function checkerboard(rng: Rng): LabelledPoint {
  const column = Math.floor(4 * rng.uniform());
  const rowOfSameParity = 2 * Math.floor(2 * rng.uniform()) + (column % 2);
  const x = -2 + column + rng.uniform();
  const y = -2 + rowOfSameParity + rng.uniform();
  return {
    x: x * CHECKERBOARD_SQUARE_SIZE,
    y: y * CHECKERBOARD_SQUARE_SIZE,
    label: column % 2,
  };
}

// Eight Gaussians: centres at angles kπ/4 (k = 0..7, the label) on a circle of radius R, each with
// probability ⅛. The jitter is what gives them width (noise = 0 leaves eight points). Per axis
// the variance of the centres is R² · mean(cos² kπ/4) = R²/2, so R = √2 gives unit variance.
export const EIGHT_GAUSSIANS_RADIUS = Math.SQRT2;

function eightGaussians(rng: Rng): LabelledPoint {
  const label = pickClass(rng, 8);
  const angle = (label * Math.PI) / 4;
  return {
    x: EIGHT_GAUSSIANS_RADIUS * Math.cos(angle),
    y: EIGHT_GAUSSIANS_RADIUS * Math.sin(angle),
    label,
  };
}

// Rings: four concentric circles of radii (k + 1)·c (k = 0..3, the label), each with probability
// ¼ and a uniform angle. Per axis the variance is E[r²]/2 = c² (1 + 4 + 9 + 16)/8, so
// c = √(8/30) gives unit variance.
export const RINGS_RADIUS_STEP = Math.sqrt(8 / 30);

function rings(rng: Rng): LabelledPoint {
  const label = pickClass(rng, 4);
  const radius = (label + 1) * RINGS_RADIUS_STEP;
  const angle = 2 * Math.PI * rng.uniform();
  return { x: radius * Math.cos(angle), y: radius * Math.sin(angle), label };
}

const IDEAL_SHAPES: Readonly<Record<Toy2dShape, (rng: Rng) => LabelledPoint>> = {
  two_moons: twoMoons,
  swiss_roll: swissRoll,
  checkerboard,
  eight_gaussians: eightGaussians,
  rings,
};

/** Mean and standard deviation per axis of a curve with its parameter uniform on [from, to]. */
function momentsOverParameter(
  curve: (parameter: number) => readonly [number, number],
  from: number,
  to: number,
  steps = 20_000,
): { meanX: number; meanY: number; stdX: number; stdY: number } {
  let sumX = 0;
  let sumY = 0;
  let sumXX = 0;
  let sumYY = 0;
  // Midpoint rule: the curves are smooth, so this is accurate far beyond what "roughly unit" needs.
  for (let i = 0; i < steps; i++) {
    const [x, y] = curve(from + ((i + 0.5) / steps) * (to - from));
    sumX += x;
    sumY += y;
    sumXX += x * x;
    sumYY += y * y;
  }
  const meanX = sumX / steps;
  const meanY = sumY / steps;
  return {
    meanX,
    meanY,
    stdX: Math.sqrt(sumXX / steps - meanX * meanX),
    stdY: Math.sqrt(sumYY / steps - meanY * meanY),
  };
}
