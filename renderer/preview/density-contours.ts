// Density contours of a 2-D point cloud by d3-contour: a kernel density estimate on a grid
// (`contourDensity`: points spread bilinearly over cells, then a blur close to a Gaussian), traced
// by marching squares at a few fractions of the peak density.
import { contourDensity, type ContourMultiPolygon } from 'd3-contour';
import { spreadOf } from './frame-stats';
import type { DataBounds } from './plot-view';

// d3-contour 4 added `contours` (one density grid, traced at any level); @types/d3-contour 3
// does not list it yet.
declare module 'd3-contour' {
  interface ContourDensity<Datum> {
    contours(data: Iterable<Datum>): DensityContours;
  }
}

interface DensityContours {
  (level: number): ContourMultiPolygon;
  /** The peak density on the grid, in the units `level` is given in. */
  readonly max: number;
}

/** A line segment in data coordinates. */
export type Segment = readonly [x1: number, y1: number, x2: number, y2: number];

/** Grid cells across the view (each way); d3 adds a margin of three kernel widths around it. */
const CELLS = 64;
/** d3 works in "pixels", with cells a power of two of them: the view is CELLS × CELL_SIZE wide. */
const CELL_SIZE = 4;
const SIZE = CELLS * CELL_SIZE;

/**
 * Kernel width in grid cells: half of Silverman's rule (1.06 σ n^(−1/5)), so a sparse cloud is
 * smoothed into a few shapes instead of one contour per point, while separate modes stay apart.
 */
export function smoothingCells(values: Float32Array, dim: number, bounds: DataBounds): number {
  const n = Math.floor(values.length / dim);
  const spread = spreadOf(values, dim);
  const bandwidth = 0.5 * 1.06 * spread * n ** -0.2;
  const cellSize = (bounds.xMax - bounds.xMin) / CELLS;
  return Number.isFinite(bandwidth) ? Math.min(8, Math.max(1, bandwidth / cellSize)) : 1;
}

/**
 * Contour lines of the cloud at `fractions` of its peak smoothed density, as segments in data
 * coordinates (each closed ring of d3's polygons cut into its edges), one list per fraction.
 */
export function densityContours(
  values: Float32Array,
  dim: number,
  bounds: DataBounds,
  fractions: readonly number[] = [0.15, 0.35, 0.6, 0.85],
): Segment[][] {
  const count = Math.floor(values.length / dim);
  if (count === 0 || dim < 2) return fractions.map(() => []);
  const scaleX = SIZE / (bounds.xMax - bounds.xMin);
  const scaleY = SIZE / (bounds.yMax - bounds.yMin);
  const contourAt = contourDensity<number>()
    .x((i) => (values[i * dim]! - bounds.xMin) * scaleX)
    .y((i) => (values[i * dim + 1]! - bounds.yMin) * scaleY)
    .size([SIZE, SIZE])
    .cellSize(CELL_SIZE)
    .bandwidth(smoothingCells(values, dim, bounds) * CELL_SIZE)
    .contours(Array.from({ length: count }, (_, i) => i));
  const peak = contourAt.max;
  if (!(peak > 0)) return fractions.map(() => []);
  return fractions.map((fraction) => {
    const segments: Segment[] = [];
    for (const polygon of contourAt(fraction * peak).coordinates)
      for (const ring of polygon)
        for (let k = 1; k < ring.length; k++) {
          const [u1, v1] = ring[k - 1]!;
          const [u2, v2] = ring[k]!;
          segments.push([
            bounds.xMin + u1! / scaleX,
            bounds.yMin + v1! / scaleY,
            bounds.xMin + u2! / scaleX,
            bounds.yMin + v2! / scaleY,
          ]);
        }
    return segments;
  });
}
