import { describe, expect, it } from 'vitest';
import {
  CHECKERBOARD_SQUARE_SIZE,
  EIGHT_GAUSSIANS_RADIUS,
  RINGS_RADIUS_STEP,
  TOY_2D_CLASS_COUNT,
  TOY_2D_SHAPES,
  generateToy2d,
} from '../../graph-nodes/math/toy-2d';

function column(points: Float64Array, axis: 0 | 1): number[] {
  return Array.from({ length: points.length / 2 }, (_, i) => points[2 * i + axis]!);
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

function indices(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function pointAt(points: Float64Array, i: number): [number, number] {
  return [points[2 * i]!, points[2 * i + 1]!];
}

describe('generateToy2d, every shape', () => {
  for (const shape of TOY_2D_SHAPES) {
    describe(shape, () => {
      it('gives count points of dimension 2 and count labels in range', () => {
        const { points, labels } = generateToy2d(shape, 123, 0, 0.05);
        expect(points).toBeInstanceOf(Float64Array);
        expect(points.length).toBe(246);
        expect(labels.length).toBe(123);
        for (const label of labels) {
          expect(label).toBeGreaterThanOrEqual(0);
          expect(label).toBeLessThan(TOY_2D_CLASS_COUNT[shape]);
        }
        expect(points.every(Number.isFinite)).toBe(true);
      });

      it('is deterministic for a seed and differs between seeds', () => {
        const a = generateToy2d(shape, 200, 7, 0.05);
        const b = generateToy2d(shape, 200, 7, 0.05);
        const c = generateToy2d(shape, 200, 8, 0.05);
        expect(Array.from(a.points)).toEqual(Array.from(b.points));
        expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
        expect(Array.from(a.points)).not.toEqual(Array.from(c.points));
      });

      it('uses every class', () => {
        const { labels } = generateToy2d(shape, 2000, 1, 0.05);
        expect(new Set(labels).size).toBe(TOY_2D_CLASS_COUNT[shape]);
      });

      it('is centred near 0 with about unit standard deviation per axis', () => {
        const { points } = generateToy2d(shape, 20_000, 3, 0);
        for (const axis of [0, 1] as const) {
          const { mean, std } = meanStd(column(points, axis));
          expect(Math.abs(mean)).toBeLessThan(0.05);
          expect(Math.abs(std - 1)).toBeLessThan(0.05);
        }
      });

      it('moves the same points when only the noise changes', () => {
        const still = generateToy2d(shape, 300, 4, 0);
        const jittered = generateToy2d(shape, 300, 4, 0.1);
        expect(Array.from(jittered.labels)).toEqual(Array.from(still.labels));
        const offsets = jittered.points.map((value, i) => value - still.points[i]!);
        const { std } = meanStd(Array.from(offsets));
        expect(std).toBeGreaterThan(0.08);
        expect(std).toBeLessThan(0.12);
      });
    });
  }

  it('handles count 0 and refuses negative noise or a bad count', () => {
    expect(generateToy2d('rings', 0, 0, 0.05).points.length).toBe(0);
    expect(() => generateToy2d('rings', 10, 0, -0.1)).toThrow(/noise must be ≥ 0/);
    expect(() => generateToy2d('rings', 2.5, 0, 0.1)).toThrow(/count must be a whole number/);
  });
});

describe('shape geometry (noise = 0)', () => {
  const count = 4000;

  it('eight_gaussians: points sit on 8 centres of a circle, the label giving the angle', () => {
    const { points, labels } = generateToy2d('eight_gaussians', count, 11, 0);
    const distancesToCentre = indices(count).map((i) => {
      const [x, y] = pointAt(points, i);
      const angle = (labels[i]! * Math.PI) / 4;
      return Math.hypot(
        x - EIGHT_GAUSSIANS_RADIUS * Math.cos(angle),
        y - EIGHT_GAUSSIANS_RADIUS * Math.sin(angle),
      );
    });
    expect(Math.max(...distancesToCentre)).toBeLessThan(1e-12);
  });

  it('eight_gaussians: with noise, points cluster near the nearest centre of their label', () => {
    const { points, labels } = generateToy2d('eight_gaussians', count, 12, 0.05);
    const nearestCentres = indices(count).map((i) => {
      const [x, y] = pointAt(points, i);
      return ((Math.round((Math.atan2(y, x) / Math.PI) * 4) % 8) + 8) % 8;
    });
    expect(nearestCentres).toEqual(Array.from(labels));
    const radiusErrors = indices(count).map((i) =>
      Math.abs(Math.hypot(...pointAt(points, i)) - EIGHT_GAUSSIANS_RADIUS),
    );
    expect(Math.max(...radiusErrors)).toBeLessThan(0.3);
  });

  it('rings: the radius of a point is (label + 1) times the ring step', () => {
    const { points, labels } = generateToy2d('rings', count, 13, 0);
    const radiusErrors = indices(count).map((i) =>
      Math.abs(Math.hypot(...pointAt(points, i)) - (labels[i]! + 1) * RINGS_RADIUS_STEP),
    );
    expect(Math.max(...radiusErrors)).toBeLessThan(1e-12);
  });

  it('checkerboard: points fill only squares of one colour, labels alternate between them', () => {
    const { points, labels } = generateToy2d('checkerboard', count, 14, 0);
    // Back to board units: columns and rows 0..3 on [−2, 2].
    const squares = indices(count).map((i) => {
      const [x, y] = pointAt(points, i);
      return [
        Math.floor(x / CHECKERBOARD_SQUARE_SIZE + 2),
        Math.floor(y / CHECKERBOARD_SQUARE_SIZE + 2),
      ] as const;
    });
    const onBoard = squares.every(([c, r]) => c >= 0 && c < 4 && r >= 0 && r < 4);
    expect(onBoard).toBe(true);
    expect(squares.every(([c, r]) => (c + r) % 2 === 0)).toBe(true);
    expect(squares.map(([c]) => c % 2)).toEqual(Array.from(labels));
    expect(new Set(squares.map(([c, r]) => `${c},${r}`)).size).toBe(8);
  });

  it('two_moons: each moon is a half circle (per-axis scaled); label 0 is the upper one', () => {
    const { points, labels } = generateToy2d('two_moons', count, 15, 0);
    const moon = (label: number) =>
      Array.from({ length: count }, (_, i) => pointAt(points, i)).filter(
        (_, i) => labels[i] === label,
      );
    const box = (moonPoints: [number, number][]) => ({
      minX: Math.min(...moonPoints.map(([x]) => x)),
      maxX: Math.max(...moonPoints.map(([x]) => x)),
      minY: Math.min(...moonPoints.map(([, y]) => y)),
      maxY: Math.max(...moonPoints.map(([, y]) => y)),
    });
    const upper = moon(0);
    const lower = moon(1);
    const upperBox = box(upper);
    const lowerBox = box(lower);
    // The upper moon (cos θ, sin θ) spans 2 wide and 1 high above its centre; the lower moon
    // (1 − cos θ, ½ − sin θ) the same below its centre, which sits 1 right and ½ up.
    const unitX = (upperBox.maxX - upperBox.minX) / 2;
    const unitY = upperBox.maxY - upperBox.minY;
    const upperCentre = [(upperBox.minX + upperBox.maxX) / 2, upperBox.minY] as const;
    const lowerCentre = [(lowerBox.minX + lowerBox.maxX) / 2, lowerBox.maxY] as const;
    expect((lowerCentre[0] - upperCentre[0]) / unitX).toBeCloseTo(1, 2);
    expect((lowerCentre[1] - upperCentre[1]) / unitY).toBeCloseTo(0.5, 2);
    const local = (moonPoints: [number, number][], centre: readonly [number, number]) =>
      moonPoints.map(([x, y]) => [(x - centre[0]) / unitX, (y - centre[1]) / unitY] as const);
    const upperLocal = local(upper, upperCentre);
    const lowerLocal = local(lower, lowerCentre);
    const radiusErrors = [...upperLocal, ...lowerLocal].map(([u, v]) =>
      Math.abs(Math.hypot(u, v) - 1),
    );
    expect(Math.max(...radiusErrors)).toBeLessThan(0.01);
    expect(upperLocal.every(([, v]) => v >= 0)).toBe(true);
    expect(lowerLocal.every(([, v]) => v <= 0)).toBe(true);
  });

  it('swiss_roll: the outer half (label 1) spreads wider than the inner half (label 0)', () => {
    const { points, labels } = generateToy2d('swiss_roll', count, 16, 0);
    // The outer half has radius t in [3π, 4.5π], the inner one [1.5π, 3π].
    const spread = (label: number, axis: 0 | 1) =>
      meanStd(column(points, axis).filter((_, i) => labels[i] === label)).std;
    expect(spread(1, 0)).toBeGreaterThan(1.3 * spread(0, 0));
    expect(spread(1, 1)).toBeGreaterThan(1.3 * spread(0, 1));
  });
});
