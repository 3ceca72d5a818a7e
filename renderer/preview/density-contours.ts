// Density contours of a 2-D point cloud: a histogram on a grid, smoothed with a Gaussian kernel,
// then iso-lines traced by marching squares at a few fractions of the peak density.
import { spreadOf } from './frame-stats';
import type { DataBounds } from './plot-view';

export interface DensityGrid {
  readonly columns: number;
  readonly rows: number;
  readonly bounds: DataBounds;
  /** Row-major, row 0 at yMin; cell (c, r) is centred on the data point of that cell. */
  readonly values: Float32Array;
}

/** A line segment in data coordinates. */
export type Segment = readonly [x1: number, y1: number, x2: number, y2: number];

export function densityGrid(
  values: Float32Array,
  dim: number,
  bounds: DataBounds,
  cells = 64,
  smoothingCells = 1.5,
): DensityGrid {
  const columns = cells;
  const rows = cells;
  const grid = new Float32Array(columns * rows);
  const width = bounds.xMax - bounds.xMin;
  const height = bounds.yMax - bounds.yMin;
  for (let i = 0; i + 1 < values.length; i += dim) {
    const c = Math.floor(((values[i]! - bounds.xMin) / width) * columns);
    const r = Math.floor(((values[i + 1]! - bounds.yMin) / height) * rows);
    if (c >= 0 && c < columns && r >= 0 && r < rows) grid[r * columns + c]!++;
  }
  return { columns, rows, bounds, values: blur(grid, columns, rows, smoothingCells) };
}

/** Separable Gaussian blur with standard deviation `sigma` cells. */
function blur(grid: Float32Array, columns: number, rows: number, sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = Float32Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const pass = (input: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(input.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const cc = horizontal ? c + k : c;
          const rr = horizontal ? r : r + k;
          if (cc < 0 || cc >= columns || rr < 0 || rr >= rows) continue;
          sum += input[rr * columns + cc]! * kernel[k + radius]!;
        }
        out[r * columns + c] = sum;
      }
    }
    return out;
  };
  return pass(pass(grid, true), false);
}

/**
 * The iso-line at `level` as segments. Each square of four neighbouring cell centres is cut where
 * the level crosses its edges (linear interpolation); the two saddle cases pair the crossings by
 * the square's mean value.
 */
export function isoSegments(grid: DensityGrid, level: number): Segment[] {
  const { columns, rows, bounds, values } = grid;
  const cellWidth = (bounds.xMax - bounds.xMin) / columns;
  const cellHeight = (bounds.yMax - bounds.yMin) / rows;
  const xAt = (c: number) => bounds.xMin + (c + 0.5) * cellWidth;
  const yAt = (r: number) => bounds.yMin + (r + 0.5) * cellHeight;
  const at = (c: number, r: number) => values[r * columns + c]!;
  const segments: Segment[] = [];
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c + 1 < columns; c++) {
      // Corners counter-clockwise from bottom-left: (c,r), (c+1,r), (c+1,r+1), (c,r+1).
      const v = [at(c, r), at(c + 1, r), at(c + 1, r + 1), at(c, r + 1)] as const;
      const corner = [
        [xAt(c), yAt(r)],
        [xAt(c + 1), yAt(r)],
        [xAt(c + 1), yAt(r + 1)],
        [xAt(c), yAt(r + 1)],
      ] as const;
      const crossings: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = v[e]!;
        const b = v[(e + 1) % 4]!;
        if (a < level === b < level) continue;
        const s = (level - a) / (b - a);
        const [ax, ay] = corner[e]!;
        const [bx, by] = corner[(e + 1) % 4]!;
        crossings.push([ax + s * (bx - ax), ay + s * (by - ay)]);
      }
      if (crossings.length === 2) {
        const [p, q] = crossings as [[number, number], [number, number]];
        segments.push([p[0], p[1], q[0], q[1]]);
      } else if (crossings.length === 4) {
        // Saddle: corners 0 and 2 on one side, 1 and 3 on the other.
        const centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
        const firstAbove = v[0] >= level;
        const [p0, p1, p2, p3] = crossings as [number, number][];
        const pairs =
          centreAbove === firstAbove
            ? // Corners 1 and 3 stand alone: cut around each.
              [
                [p0!, p1!],
                [p2!, p3!],
              ]
            : [
                [p0!, p3!],
                [p1!, p2!],
              ];
        for (const [p, q] of pairs) segments.push([p![0], p![1], q![0], q![1]]);
      }
    }
  }
  return segments;
}

/**
 * Kernel width in grid cells: half of Silverman's rule (1.06 σ n^(−1/5)), so a sparse cloud is
 * smoothed into a few shapes instead of one contour per point, while separate modes stay apart.
 */
function smoothingCells(values: Float32Array, dim: number, bounds: DataBounds, cells: number) {
  const n = Math.floor(values.length / dim);
  const spread = spreadOf(values, dim);
  const bandwidth = 0.5 * 1.06 * spread * n ** -0.2;
  const cellSize = (bounds.xMax - bounds.xMin) / cells;
  return Number.isFinite(bandwidth) ? Math.min(8, Math.max(1, bandwidth / cellSize)) : 1;
}

/** Contour segments of the cloud at `fractions` of its peak smoothed density. */
export function densityContours(
  values: Float32Array,
  dim: number,
  bounds: DataBounds,
  fractions: readonly number[] = [0.15, 0.35, 0.6, 0.85],
): Segment[][] {
  const cells = 64;
  const grid = densityGrid(values, dim, bounds, cells, smoothingCells(values, dim, bounds, cells));
  let peak = 0;
  for (const value of grid.values) peak = Math.max(peak, value);
  if (peak === 0) return fractions.map(() => []);
  return fractions.map((fraction) => isoSegments(grid, fraction * peak));
}
