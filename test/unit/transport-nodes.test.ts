// The transport nodes as the executor calls them: entropic-ot (warm starts, the VP reference's
// cost, limits), exact-ot, schrodinger-bridge (frames, start points, shapes), Metrics and Save .npy
// on a coupling, and the preset's claim that a VP-reference bridge from data to N(0, I) is the
// forward diffusion process.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import type { Coupling, Samples } from '../../graph-nodes/core/values';
import { createRng } from '../../graph-nodes/math/rng';
import { parseNpy } from '../../graph-nodes/math/npy';
import metricsNode from '../../graph-nodes/nodes/analysis/metrics';
import saveNpy from '../../graph-nodes/nodes/io/save-npy';
import entropicOt from '../../graph-nodes/nodes/transport/entropic-ot';
import exactOt from '../../graph-nodes/nodes/transport/exact-ot';
import schrodingerBridge from '../../graph-nodes/nodes/transport/schrodinger-bridge';
import { MAX_PLAN_ENTRIES } from '../../graph-nodes/transport/couplings';
import { makeTestContext, memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gaussianCloud(count: number, dim: number, seed: number, scale = 1, shift = 0): Samples {
  const rng = createRng(seed);
  const values = Float64Array.from({ length: count * dim }, () => shift + scale * rng.normal());
  return samplesFromArray(values, count, [dim]);
}

async function solve(
  source: Samples,
  target: Samples,
  params: Record<string, unknown>,
): Promise<Coupling> {
  const ctx = makeTestContext(entropicOt.params.parse(params));
  return (await entropicOt.run({ source, target }, ctx)).coupling;
}

/** Row and column sums of a plan. */
function marginals(coupling: Coupling): { rows: Float64Array; columns: Float64Array } {
  const rows = new Float64Array(coupling.n);
  const columns = new Float64Array(coupling.m);
  coupling.plan.forEach((mass, k) => {
    rows[Math.floor(k / coupling.m)] = rows[Math.floor(k / coupling.m)]! + mass;
    columns[k % coupling.m] = columns[k % coupling.m]! + mass;
  });
  return { rows, columns };
}

describe('entropic-ot node', () => {
  it('solves to the tolerance, reports its values, and warm-starts the next ε', async () => {
    const source = gaussianCloud(120, 2, 1, 2);
    const target = gaussianCloud(90, 2, 2, 1, 1);
    const cold = await solve(source, target, { epsilon: 0.02 });
    const { rows, columns } = marginals(cold);
    expect(rows.reduce((s, r) => s + Math.abs(r - 1 / 120), 0)).toBeLessThanOrEqual(1e-9);
    expect(columns.reduce((s, c) => s + Math.abs(c - 1 / 90), 0)).toBeLessThanOrEqual(1e-9);
    expect(cold.values).toMatchObject({ epsilon: 0.02, n: 120, m: 90 });
    for (const name of [
      'transport_cost',
      'entropic_objective',
      'entropy',
      'kl',
      'iterations',
      'f_range',
      'g_range',
    ])
      expect(Number.isFinite(cold.values[name])).toBe(true);
    expect(cold.f).toHaveLength(120);
    expect(cold.g).toHaveLength(90);

    // The same inputs at a nearby ε: the node starts from the last potentials.
    const warm = await solve(source, target, { epsilon: 0.018 });
    const fresh = await solve(gaussianCloud(120, 2, 1, 2), target, { epsilon: 0.018 });
    expect(warm.values['iterations']!).toBeLessThan(fresh.values['iterations']! / 2);
    let largest = 0;
    warm.plan.forEach((mass, k) => (largest = Math.max(largest, Math.abs(mass - fresh.plan[k]!))));
    expect(largest).toBeLessThan(1e-9);
    tf.dispose([source.points, target.points]);
  });

  it('uses the VP reference’s cost ‖y − αx‖²/(2(1 − α²)), α = e^{−½∫β}, in a Gibbs-form plan', async () => {
    const source = gaussianCloud(50, 2, 3);
    const target = gaussianCloud(40, 2, 4);
    const [betaMin, betaMax, epsilon] = [0.5, 3, 0.3];
    const coupling = await solve(source, target, {
      epsilon,
      reference: 'vp',
      beta_min: betaMin,
      beta_max: betaMax,
    });
    expect(coupling.reference).toEqual({ kind: 'vp', betaMin, betaMax });
    const alpha = Math.exp(-0.5 * (betaMin + 0.5 * (betaMax - betaMin)));
    const { source: x, target: y, f, g } = coupling;
    for (let i = 0; i < 50; i += 7)
      for (let j = 0; j < 40; j += 5) {
        const squared =
          (y[2 * j]! - alpha * x[2 * i]!) ** 2 + (y[2 * j + 1]! - alpha * x[2 * i + 1]!) ** 2;
        const cost = squared / (2 * (1 - alpha * alpha));
        const expected = Math.exp((f![i]! + g![j]! - cost) / epsilon) / (50 * 40);
        expect(coupling.plan[i * 40 + j]!).toBeCloseTo(expected, 14);
      }
    tf.dispose([source.points, target.points]);
  });

  it('refuses clouds of different shapes and plans beyond the size limit, naming them', async () => {
    const flat = gaussianCloud(10, 2, 5);
    const wide = gaussianCloud(10, 3, 6);
    await expect(solve(flat, wide, {})).rejects.toThrow(/"source".*\[2\].*"target".*\[3\]/s);
    const side = Math.ceil(Math.sqrt(MAX_PLAN_ENTRIES)) + 1;
    const big = gaussianCloud(side, 1, 7);
    await expect(solve(big, big, {})).rejects.toThrow(/over the limit/);
    tf.dispose([flat.points, wide.points, big.points]);
  });

  it('refuses ε ≤ 0 at the schema', () => {
    expect(entropicOt.params.safeParse({ epsilon: 0 }).success).toBe(false);
    expect(entropicOt.params.safeParse({ epsilon: -1 }).success).toBe(false);
  });
});

describe('exact-ot node', () => {
  it('gives a permutation plan for n = m whose cost is below every entropic plan’s', async () => {
    const source = gaussianCloud(30, 2, 8, 2);
    const target = gaussianCloud(30, 2, 9, 1, 1);
    const ctx = makeTestContext(exactOt.params.parse({}));
    const { plan } = await exactOt.run({ source, target }, ctx);
    expect(plan.epsilon).toBe(0);
    expect(plan.plan.filter((mass) => mass > 0)).toHaveLength(30);
    expect(plan.values['entropy']).toBeCloseTo(Math.log(30), 12);
    const entropic = await solve(source, target, { epsilon: 0.01 });
    expect(entropic.values['transport_cost']!).toBeGreaterThan(plan.values['transport_cost']!);
    expect(entropic.values['transport_cost']! - plan.values['transport_cost']!).toBeLessThan(
      0.01 * Math.log(30 * 30),
    );
    tf.dispose([source.points, target.points]);
  });
});

describe('schrodinger-bridge node', () => {
  it('records a bridge trajectory from t = 0 to 1 that ends on target points', async () => {
    const source = gaussianCloud(40, 2, 10);
    const target = gaussianCloud(30, 2, 11, 1, 3);
    const coupling = await solve(source, target, { epsilon: 0.1 });
    const ctx = makeTestContext(schrodingerBridge.params.parse({ steps: 8, count: 25 }));
    const { samples, trajectory } = await schrodingerBridge.run(
      { coupling, source: undefined },
      ctx,
    );
    expect(trajectory.kind).toBe('bridge');
    expect(trajectory.frames.map((frame) => frame.t)).toEqual([
      0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1,
    ]);
    for (const frame of trajectory.frames) {
      expect(frame.sigmaTilde).toBeCloseTo(1 - frame.t, 15);
      expect(frame.x).toHaveLength(50);
      expect(frame.x0hat).toHaveLength(50);
    }
    expect(ctx.frames).toHaveLength(9); // streamed while running
    const last = (await samples.points.data()) as Float32Array;
    const targets = Float32Array.from(coupling.target);
    for (let row = 0; row < 25; row++) {
      const hits = Array.from(
        { length: 30 },
        (_, j) => targets[2 * j] === last[2 * row] && targets[2 * j + 1] === last[2 * row + 1],
      );
      expect(hits.some(Boolean)).toBe(true);
    }
    tf.dispose([source.points, target.points, samples.points]);
  });

  it('starts the SDE and the ODE from the source input when one is connected', async () => {
    const source = gaussianCloud(40, 2, 12);
    const target = gaussianCloud(30, 2, 13, 1, 3);
    const fresh = gaussianCloud(17, 2, 14);
    const coupling = await solve(source, target, { epsilon: 0.1 });
    for (const mode of ['sde', 'ode'] as const) {
      const ctx = makeTestContext(schrodingerBridge.params.parse({ mode, steps: 20 }));
      const { trajectory, samples } = await schrodingerBridge.run({ coupling, source: fresh }, ctx);
      expect(trajectory.n).toBe(17);
      expect(trajectory.frames[0]!.x).toEqual((await fresh.points.data()) as Float32Array);
      const end = (await samples.points.data()) as Float32Array;
      expect(end.every(Number.isFinite)).toBe(true);
      tf.dispose(samples.points);
    }
    const wide = gaussianCloud(5, 3, 15);
    const ctx = makeTestContext(schrodingerBridge.params.parse({ mode: 'sde' }));
    await expect(schrodingerBridge.run({ coupling, source: wide }, ctx)).rejects.toThrow(/\[3\]/);
    tf.dispose([source.points, target.points, fresh.points, wide.points]);
  });
});

describe('a coupling downstream', () => {
  it('Metrics reports its values; Save .npy writes its plan as float64 [n, m]', async () => {
    const source = gaussianCloud(12, 2, 16);
    const target = gaussianCloud(9, 2, 17);
    const coupling = await solve(source, target, { epsilon: 0.5 });
    const none = {
      samples: undefined,
      reference: undefined,
      reference_trajectory: undefined,
      denoiser: undefined,
    };
    const { metrics } = await metricsNode.run(
      { ...none, data: undefined, trajectory: undefined, coupling },
      makeTestContext(metricsNode.params.parse({})),
    );
    expect(metrics.values).toEqual(coupling.values);
    await expect(
      metricsNode.run(
        { ...none, data: source, trajectory: undefined, coupling },
        makeTestContext(metricsNode.params.parse({})),
      ),
    ).rejects.toThrow(/input "data" is measured against input "samples"/);

    const files = memoryFiles();
    await saveNpy.run({ value: coupling }, makeTestContext({ path: 'plan.npy' }, { files }));
    const saved = parseNpy(files.files.get('plan.npy')!, 'plan');
    expect(saved.shape).toEqual([12, 9]);
    expect(Array.from(saved.data)).toEqual(Array.from(coupling.plan));
    tf.dispose([source.points, target.points]);
  });
});

describe('the diffusion-as-a-bridge claim', () => {
  it('a VP bridge (ε = 1) from data to N(0, I) has the independent plan and the forward process’s marginals', async () => {
    // Data: a 2-D Gaussian far from N(0, I), so the check is not trivially satisfied.
    const rng = createRng(18);
    const n = 400;
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const [u, v] = [rng.normal(), rng.normal()];
      data[2 * i] = 2 + 0.5 * u;
      data[2 * i + 1] = -1 + 0.3 * u + 0.2 * v;
    }
    const source = samplesFromArray(data, n, [2]);
    const noise = gaussianCloud(n, 2, 19);
    const [betaMin, betaMax] = [0.1, 20];
    const coupling = await solve(source, noise, {
      epsilon: 1,
      reference: 'vp',
      beta_min: betaMin,
      beta_max: betaMax,
    });
    // Mutual information of the plan: the reference already forgets x₀, so π ≈ μ⊗ν.
    expect(coupling.values['kl']!).toBeLessThan(0.01);

    const ctx = makeTestContext(
      schrodingerBridge.params.parse({ mode: 'bridge', steps: 4, count: 20_000, seed: 3 }),
    );
    const { trajectory, samples } = await schrodingerBridge.run(
      { coupling, source: undefined },
      ctx,
    );
    const sourceMean = [0, 1].map(
      (c) => data.filter((_, k) => k % 2 === c).reduce((s, v) => s + v, 0) / n,
    );
    const sourceCov = [
      [0, 0],
      [0, 1],
      [1, 1],
    ].map(([a, b]) => {
      let sum = 0;
      for (let i = 0; i < n; i++)
        sum += (data[2 * i + a!]! - sourceMean[a!]!) * (data[2 * i + b!]! - sourceMean[b!]!);
      return sum / n;
    });
    for (const frame of trajectory.frames.slice(1, -1)) {
      // Forward process at t: x_t = α_t x₀ + √(1 − α_t²) z, α_t = e^{−½∫₀ᵗβ}. Near t = 1 the bridge
      // is pinned to the noise samples, which N(0, I) matches up to their own sampling error.
      const t = frame.t;
      const alpha = Math.exp(-0.5 * t * (betaMin + 0.5 * (betaMax - betaMin) * t));
      const count = trajectory.n;
      const mean = [0, 1].map((c) => {
        let sum = 0;
        for (let r = 0; r < count; r++) sum += frame.x[2 * r + c]!;
        return sum / count;
      });
      for (const c of [0, 1]) expect(mean[c]!).toBeCloseTo(alpha * sourceMean[c]!, 1);
      const cov = [
        [0, 0],
        [0, 1],
        [1, 1],
      ].map(([a, b]) => {
        let sum = 0;
        for (let r = 0; r < count; r++)
          sum += (frame.x[2 * r + a!]! - mean[a!]!) * (frame.x[2 * r + b!]! - mean[b!]!);
        return sum / count;
      });
      const expected = sourceCov.map(
        (value, k) => alpha * alpha * value + (k === 1 ? 0 : 1 - alpha * alpha),
      );
      for (let k = 0; k < 3; k++) expect(Math.abs(cov[k]! - expected[k]!)).toBeLessThan(0.08);
    }
    tf.dispose([source.points, noise.points, samples.points]);
  });
});
