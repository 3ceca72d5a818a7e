import { describe, expect, it } from 'vitest';
import { createRng } from '../../graph-nodes/math/rng';

const DRAWS = 100_000;

function draw(count: number, next: () => number): number[] {
  return Array.from({ length: count }, next);
}

function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, variance: squares / values.length };
}

describe('createRng', () => {
  it('gives the same uniforms and normals for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    expect(draw(100, a.uniform)).toEqual(draw(100, b.uniform));
    expect(draw(101, a.normal)).toEqual(draw(101, b.normal));
  });

  it('gives different streams for different seeds, including neighbouring ones', () => {
    const first = draw(10, createRng(0).uniform);
    for (const seed of [1, 2, -1, 123456789]) {
      expect(draw(10, createRng(seed).uniform)).not.toEqual(first);
    }
  });

  it('truncates non-integer seeds', () => {
    expect(draw(5, createRng(7.9).uniform)).toEqual(draw(5, createRng(7).uniform));
  });

  it('draws uniforms in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const values = draw(DRAWS, createRng(1).uniform);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const { mean, variance } = meanAndVariance(values);
    // Standard error of the mean is √(1/12 / 1e5) ≈ 0.0009; 0.005 is over 5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('spreads uniforms evenly over ten bins', () => {
    const bins = new Array<number>(10).fill(0);
    const rng = createRng(5);
    for (let i = 0; i < DRAWS; i++) bins[Math.floor(rng.uniform() * 10)]! += 1;
    for (const count of bins) expect(Math.abs(count - DRAWS / 10)).toBeLessThan(500);
  });

  it('draws normals with mean ≈ 0, variance ≈ 1 and light tails', () => {
    const values = draw(DRAWS, createRng(2).normal);
    const { mean, variance } = meanAndVariance(values);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    // P(|z| > 3) ≈ 0.0027, so about 270 of 1e5.
    const beyondThree = values.filter((v) => Math.abs(v) > 3).length;
    expect(beyondThree).toBeGreaterThan(180);
    expect(beyondThree).toBeLessThan(360);
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('fillNormal fills float32 and float64 arrays with the same stream as normal()', () => {
    const expected = draw(7, createRng(9).normal);
    const filled64 = createRng(9).fillNormal(new Float64Array(7));
    expect(Array.from(filled64)).toEqual(expected);
    const filled32 = createRng(9).fillNormal(new Float32Array(7));
    expect(filled32).toBeInstanceOf(Float32Array);
    expect(Array.from(filled32)).toEqual(expected.map(Math.fround));
  });

  it('fillNormal returns the array it was given, with normal statistics', () => {
    const out = new Float32Array(DRAWS);
    expect(createRng(3).fillNormal(out)).toBe(out);
    const { mean, variance } = meanAndVariance(out);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });
});
