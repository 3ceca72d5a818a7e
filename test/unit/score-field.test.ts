// The score view's pure parts: the grid over the visible plane, the four parameterisations of one
// field from D, the arrows' scaling, the σ̃ a frame's field is drawn at, which exact denoiser a
// learned one is compared with, and the latest-only requests that scrubbing sends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseGraphText, type GraphDocument } from '../../graph-nodes';
import { latestRequester } from '../../renderer/preview/latest-request';
import {
  FIELD_GRID,
  fieldGrid,
  fieldSigmaOf,
  fieldSourceOf,
  fieldVectors,
  scaleArrows,
} from '../../renderer/preview/score-field';

describe('fieldGrid', () => {
  it('puts 24 × 24 cell centres over the view, row-major from the top-left', () => {
    const view = { xMin: -4, xMax: 4, yMin: -2, yMax: 6 };
    const grid = fieldGrid(view);
    expect(grid.length).toBe(FIELD_GRID * FIELD_GRID * 2);
    const cell = 8 / FIELD_GRID;
    expect(grid[0]).toBeCloseTo(-4 + cell / 2, 6);
    expect(grid[1]).toBeCloseTo(6 - cell / 2, 6);
    // The last point sits half a cell inside the bottom-right corner.
    expect(grid.at(-2)).toBeCloseTo(4 - cell / 2, 6);
    expect(grid.at(-1)).toBeCloseTo(-2 + cell / 2, 6);
    // Along a row x grows and y stays.
    expect(grid[2]! - grid[0]!).toBeCloseTo(cell, 6);
    expect(grid[3]).toBeCloseTo(grid[1]!, 6);
    // Down a column y falls.
    expect(grid[2 * FIELD_GRID + 1]! - grid[1]!).toBeCloseTo(-cell, 6);
  });

  it('takes any size', () => {
    expect(Array.from(fieldGrid({ xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2))).toEqual([
      0.5, 1.5, 1.5, 1.5, 0.5, 0.5, 1.5, 0.5,
    ]);
  });
});

describe('fieldVectors', () => {
  const points = new Float32Array([1, 2, -3, 0.5]);
  const denoised = new Float32Array([0, 0, -1, 1.5]);
  const sigma = 2;
  const diff = [-1, -2, 2, 1]; // D − x̃

  it('score is (D − x̃)/σ̃²', () => {
    const score = fieldVectors('score', points, denoised, sigma);
    diff.forEach((d, i) => expect(score[i]).toBeCloseTo(d / 4, 6));
  });

  it('the PF-ODE velocity dx̃/dσ̃ and ε̂ are both (x̃ − D)/σ̃', () => {
    const velocity = fieldVectors('velocity', points, denoised, sigma);
    const eps = fieldVectors('eps', points, denoised, sigma);
    diff.forEach((d, i) => {
      expect(velocity[i]).toBeCloseTo(-d / 2, 6);
      expect(eps[i]).toBeCloseTo(-d / 2, 6);
    });
  });

  it('x̂₀ is the arrow from x̃ to D', () => {
    const x0 = fieldVectors('x0', points, denoised, sigma);
    for (let i = 0; i < points.length; i++) expect(points[i]! + x0[i]!).toBeCloseTo(denoised[i]!);
  });

  it('Tweedie holds between them: x̃ + σ̃² s = D = x̃ − σ̃ ε̂', () => {
    const score = fieldVectors('score', points, denoised, sigma);
    const eps = fieldVectors('eps', points, denoised, sigma);
    for (let i = 0; i < points.length; i++) {
      expect(points[i]! + sigma * sigma * score[i]!).toBeCloseTo(denoised[i]!, 5);
      expect(points[i]! - sigma * eps[i]!).toBeCloseTo(denoised[i]!, 5);
    }
  });

  it('difference is D_learned − D_exact, and needs D_exact', () => {
    const exact = new Float32Array([0.5, 0, -1, 1]);
    expect(Array.from(fieldVectors('difference', points, denoised, sigma, exact))).toEqual([
      -0.5, 0, 0, 0.5,
    ]);
    expect(() => fieldVectors('difference', points, denoised, sigma)).toThrow(/exact/);
  });
});

describe('scaleArrows', () => {
  it('draws every arrow 0.8 of a cell long along v, with |v| / max |v| as its strength', () => {
    const points = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3]);
    const vectors = new Float32Array([3, 4, 0, -0.5, 0, 0, Number.NaN, 1]);
    const { arrows, maxMagnitude } = scaleArrows(points, vectors, 0.5);
    expect(maxMagnitude).toBe(5);
    // The non-finite vector is left out.
    expect(arrows).toHaveLength(3);
    expect(arrows[0]).toMatchObject({ x: 0, y: 0, strength: 1, length: 0.4 });
    expect(arrows[0]!.ux).toBeCloseTo(0.6);
    expect(arrows[0]!.uy).toBeCloseTo(0.8);
    expect(arrows[1]).toMatchObject({ ux: 0, uy: -1, length: 0.4 });
    expect(arrows[1]!.strength).toBeCloseTo(0.1);
    // A zero vector has no arrow to draw.
    expect(arrows[2]).toMatchObject({ ux: 0, uy: 0, strength: 0, length: 0 });
  });

  it('a field of zeros has no brightest arrow', () => {
    const { arrows, maxMagnitude } = scaleArrows(new Float32Array(4), new Float32Array(4), 1);
    expect(maxMagnitude).toBe(0);
    expect(arrows.every((arrow) => arrow.strength === 0)).toBe(true);
  });
});

describe('fieldSigmaOf', () => {
  it('is the frame’s σ̃, or at σ̃ = 0 the last level D was evaluated at', () => {
    const sigmas = [80, 10, 1, 0];
    expect(fieldSigmaOf(sigmas, 0)).toBe(80);
    expect(fieldSigmaOf(sigmas, 2)).toBe(1);
    expect(fieldSigmaOf(sigmas, 3)).toBe(1);
    expect(fieldSigmaOf([0], 0)).toBeUndefined();
    expect(fieldSigmaOf([], -1)).toBeUndefined();
  });
});

function graph(
  nodes: [string, string][],
  edges: [string, string, string, string][],
): GraphDocument {
  return parseGraphText(
    JSON.stringify({
      format: 'principia.graph',
      version: 1,
      nodes: nodes.map(([id, type]) => ({
        id,
        type,
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: {},
      })),
      edges: edges.map(([fromNode, fromPort, toNode, toPort]) => ({
        from: { node: fromNode, port: fromPort },
        to: { node: toNode, port: toPort },
      })),
    }),
  );
}

describe('fieldSourceOf', () => {
  it('is the denoiser wired into the solver; an exact one has nothing to compare with', () => {
    const document = graph(
      [
        ['gmm', 'gmm-denoiser'],
        ['solver', 'solver'],
      ],
      [['gmm', 'denoiser', 'solver', 'denoiser']],
    );
    expect(fieldSourceOf(document, 'solver')).toEqual({
      denoiser: { node: 'gmm', port: 'denoiser' },
    });
    expect(fieldSourceOf(document, 'elsewhere')).toBeUndefined();
  });

  it('pairs an MLP with the empirical denoiser of its own data, and with nothing else', () => {
    const nodes: [string, string][] = [
      ['data', 'toy-data-2d'],
      ['other', 'toy-data-2d'],
      ['mlp', 'mlp-denoiser'],
      ['exact', 'empirical-denoiser'],
      ['gmm', 'gmm-denoiser'],
      ['solver', 'solver'],
    ];
    const wires: [string, string, string, string][] = [
      ['data', 'dataset', 'mlp', 'data'],
      ['mlp', 'denoiser', 'solver', 'denoiser'],
    ];
    const same = graph(nodes, [...wires, ['data', 'dataset', 'exact', 'data']]);
    expect(fieldSourceOf(same, 'solver')).toEqual({
      denoiser: { node: 'mlp', port: 'denoiser' },
      exact: { node: 'exact', port: 'denoiser' },
    });
    // An empirical denoiser of other data, or a mixture, is not exact for what the MLP learned.
    const other = graph(nodes, [...wires, ['other', 'dataset', 'exact', 'data']]);
    expect(fieldSourceOf(other, 'solver')?.exact).toBeUndefined();
  });

  it('pairs an ONNX model with the graph’s one exact denoiser', () => {
    const nodes: [string, string][] = [
      ['onnx', 'onnx-denoiser'],
      ['gmm', 'gmm-denoiser'],
      ['solver', 'solver'],
    ];
    const wires: [string, string, string, string][] = [['onnx', 'denoiser', 'solver', 'denoiser']];
    expect(fieldSourceOf(graph(nodes, wires), 'solver')?.exact).toEqual({
      node: 'gmm',
      port: 'denoiser',
    });
    expect(
      fieldSourceOf(graph([...nodes, ['gmm2', 'gmm-denoiser']], wires), 'solver')?.exact,
    ).toBeUndefined();
  });
});

describe('latestRequester', () => {
  afterEach(() => vi.useRealTimers());

  it('sends only the latest of a burst, one at a time, and drops overtaken answers', async () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const answered: number[] = [];
    const resolvers: (() => void)[] = [];
    const requester = latestRequester<number, number>(
      (query) => {
        sent.push(query);
        return new Promise((resolve) => resolvers.push(() => resolve(query * 10)));
      },
      (_query, result) => answered.push(result),
      () => undefined,
      40,
    );
    // Scrubbing fast: nothing goes out until it pauses, then only the last σ̃.
    for (const query of [1, 2, 3, 4]) {
      requester.request(query);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(40);
    expect(sent).toEqual([4]);
    // Two more while 4 is in flight: they wait for it, and only 6 follows.
    requester.request(5);
    requester.request(6);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([4]);
    resolvers[0]!();
    await vi.advanceTimersByTimeAsync(0);
    // 4's answer was overtaken by 5 and 6: dropped.
    expect(answered).toEqual([]);
    expect(sent).toEqual([4, 6]);
    resolvers[1]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toEqual([60]);
    // Cancel drops what is pending and what is in flight.
    requester.request(7);
    await vi.advanceTimersByTimeAsync(40);
    requester.cancel();
    resolvers[2]!();
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([4, 6, 7]);
    expect(answered).toEqual([60]);
  });
});
