// ComfyUI's table schedulers (simple, ddim_uniform, beta, normal / sgm_uniform), the noise table
// they pick from, and the Beta distribution behind "beta".
import { describe, expect, it } from 'vitest';
import betaNode from '../../graph-nodes/nodes/timesteps/beta';
import ddimUniformNode from '../../graph-nodes/nodes/timesteps/ddim-uniform';
import sgmUniformNode from '../../graph-nodes/nodes/timesteps/sgm-uniform';
import simpleNode from '../../graph-nodes/nodes/timesteps/simple';
import { ddpmSchedule } from '../../graph-nodes/schedules/ddpm';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { rectifiedFlowSchedule } from '../../graph-nodes/schedules/rectified-flow';
import { vpLinearSchedule } from '../../graph-nodes/schedules/vp-linear';
import { betaIndices } from '../../graph-nodes/timesteps/beta';
import { betaCdf, betaQuantile, logGamma } from '../../graph-nodes/timesteps/beta-distribution';
import { ddimUniformIndices } from '../../graph-nodes/timesteps/ddim-uniform';
import { clockUniformTimes } from '../../graph-nodes/timesteps/sgm-uniform';
import { simpleIndices } from '../../graph-nodes/timesteps/simple';
import { CONTINUOUS_TABLE_SIZE, timeTable } from '../../graph-nodes/timesteps/time-table';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext } from './helpers/run-context';

const sd = ddpmSchedule({
  betaSchedule: 'scaled_linear',
  betaStart: 0.00085,
  betaEnd: 0.012,
  trainSteps: 1000,
  zeroTerminalSnr: false,
});
const edm = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
const vp = vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 1e-3 });
const rf = rectifiedFlowSchedule({ shift: 3, tMin: 1e-3, tMax: 0.999 });

const descending = (from: number, step: number, count: number): number[] =>
  Array.from({ length: count }, (_, k) => from - k * step);

describe('the Beta distribution', () => {
  it('has the closed-form quantiles of Beta(½,½) (arcsine), Beta(1,1), Beta(2,1), Beta(1,3)', () => {
    for (const p of [1e-6, 0.01, 0.2, 0.5, 0.77, 0.999]) {
      expect(betaQuantile(p, 0.5, 0.5)).toBeCloseTo(Math.sin((Math.PI * p) / 2) ** 2, 13);
      expect(betaQuantile(p, 1, 1)).toBeCloseTo(p, 13);
      expect(betaQuantile(p, 2, 1)).toBeCloseTo(Math.sqrt(p), 13);
      expect(betaQuantile(p, 1, 3)).toBeCloseTo(1 - Math.cbrt(1 - p), 13);
    }
  });

  it('matches scipy.stats.beta (1.17.1) for the scheduler’s shapes', () => {
    expect(betaQuantile(0.1, 0.6, 0.6)).toBeCloseTo(0.03958440558878085, 13);
    expect(betaQuantile(0.25, 0.6, 0.6)).toBeCloseTo(0.17568037865269498, 13);
    expect(betaQuantile(0.9, 0.6, 0.6)).toBeCloseTo(0.9604155944112192, 13);
    expect(betaQuantile(0.1, 2.5, 0.7)).toBeCloseTo(0.47612263469362526, 13);
    expect(betaQuantile(0.3, 2.5, 0.7)).toBeCloseTo(0.7097758912148804, 13);
    expect(betaQuantile(0.999, 2.5, 0.7)).toBeCloseTo(0.9999808507554779, 13);
    expect(betaCdf(0.2, 0.6, 0.6)).toBeCloseTo(0.2713679328265825, 14);
    expect(betaCdf(0.7, 0.6, 0.6)).toBeCloseTo(0.6474734882278562, 14);
    expect(betaCdf(0.05, 2.5, 0.7)).toBeCloseTo(3.1756349413326857e-4, 16);
    expect(betaCdf(0.95, 2.5, 0.7)).toBeCloseTo(0.76107363813938034, 14);
  });

  it('has its end points and, for α = β, an exact median and symmetry', () => {
    expect(betaQuantile(0, 0.6, 0.6)).toBe(0);
    expect(betaQuantile(1, 0.6, 0.6)).toBe(1);
    expect(betaQuantile(0.5, 0.6, 0.6)).toBe(0.5);
    for (const p of [0.013, 0.2, 0.4]) {
      expect(betaQuantile(1 - p, 0.6, 0.6)).toBe(1 - betaQuantile(p, 0.6, 0.6));
    }
    expect(betaCdf(betaQuantile(0.3, 3, 0.6), 3, 0.6)).toBeCloseTo(0.3, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(() => betaQuantile(1.5, 1, 1)).toThrow(/p must/);
    expect(() => betaCdf(0.5, 0, 1)).toThrow(/positive/);
  });
});

describe('noise tables', () => {
  it('is the schedule’s own table for a discrete schedule, at t = 0 … T − 1', () => {
    const table = timeTable(sd);
    expect(Array.from(table.sigmas)).toEqual(Array.from(sd.discreteSigmas!));
    expect([table.times[0], table.times[500], table.times[999]]).toEqual([0, 500, 999]);
  });

  it('tabulates a continuous schedule at 1000 times evenly spaced in t from t_min to t_max', () => {
    const table = timeTable(vp);
    expect(table.times.length).toBe(CONTINUOUS_TABLE_SIZE);
    expect([table.times[0], table.times[999]]).toEqual([1e-3, 1]);
    expect(table.times[500]).toBeCloseTo(1e-3 + (500 / 999) * (1 - 1e-3), 15);
    expect(table.sigmas[500]).toBe(vp.sigmaTilde(table.times[500]!));
  });

  it('is log-uniform in σ for EDM, as ComfyUI’s ModelSamplingContinuousEDM', () => {
    const table = timeTable(edm);
    expect([table.sigmas[0], table.sigmas[999]]).toEqual([0.002, 80]);
    const ratio = Math.log(80 / 0.002) / 999;
    expect(Math.log(table.sigmas[401]! / table.sigmas[400]!)).toBeCloseTo(ratio, 12);
  });
});

describe('simple', () => {
  it('takes every L/N-th entry from the top: N = 10 on SD gives indices 999, 899, …, 99', () => {
    expect(simpleIndices(10, 1000)).toEqual(descending(999, 100, 10));
    expect(simpleIndices(3, 1000)).toEqual([999, 666, 333]);
    expect(simpleIndices(1000, 1000)).toEqual(descending(999, 1, 1000));
    expect(() => simpleIndices(11, 10)).toThrow(/11 steps/);
  });

  it('gives ComfyUI’s list on the Stable Diffusion table', async () => {
    const { timesteps } = await simpleNode.run(
      { schedule: sd },
      makeTestContext(simpleNode.params.parse({ steps: 10 })),
    );
    // numpy float64 on the same table (ComfyUI stores it in float32)
    const printed = [
      14.614641229333639, 8.302803191053336, 5.087763182678662, 3.321083129846573,
      2.2764630657646574, 1.612886194303876, 1.1605783219528756, 0.8298595281753968,
      0.5692848883499537, 0.3416738322812819,
    ];
    printed.forEach((sigma, i) => expect(timesteps.sigmaTilde[i]).toBeCloseTo(sigma, 12));
    expect(timesteps.sigmaTilde[10]).toBe(0);
    expect(Array.from(timesteps.t)).toEqual([...descending(999, 100, 10), 0]);
  });
});

describe('ddim_uniform', () => {
  it('takes entries 1, 1 + ⌊L/N⌋, … from the table, noisiest first', () => {
    expect(ddimUniformIndices(10, 1000)).toEqual(descending(901, 100, 10));
    // ⌊1000/30⌋ = 33 does not divide 999: ComfyUI gives 31 steps
    const thirty = ddimUniformIndices(30, 1000);
    expect(thirty.length).toBe(31);
    expect([thirty[0], thirty[30]]).toEqual([991, 1]);
    expect(ddimUniformIndices(2000, 1000).length).toBe(999);
  });

  it('runs on a continuous schedule through its table', async () => {
    const { timesteps } = await ddimUniformNode.run(
      { schedule: vp },
      makeTestContext(ddimUniformNode.params.parse({ steps: 10 })),
    );
    const table = timeTable(vp);
    expect(timesteps.t[0]).toBe(table.times[901]);
    expect(timesteps.t[9]).toBe(table.times[1]);
    expect(timesteps.sigmaTilde[0]).toBe(table.sigmas[901]);
    expect(timesteps.sigmaTilde[10]).toBe(0);
  });
});

describe('beta', () => {
  it('reproduces ComfyUI (scipy) for N = 10 and N = 25 with α = β = 0.6', () => {
    expect(betaIndices(10, 1000, 0.6, 0.6)).toEqual([
      999, 959, 876, 765, 637, 500, 362, 234, 123, 40,
    ]);
    expect(betaIndices(25, 1000, 0.6, 0.6)).toEqual([
      999, 990, 972, 946, 913, 876, 835, 789, 741, 690, 637, 582, 527, 472, 417, 362, 309, 258, 210,
      164, 123, 86, 53, 27, 9,
    ]);
    expect(betaIndices(7, 1000, 2, 0.5)).toEqual([999, 990, 962, 913, 837, 724, 546]);
  });

  it('drops repeated indices exactly as ComfyUI does (scipy: counts and sums)', () => {
    const cases: [number, number, number, number, number, number][] = [
      // steps, α, β, length, Σ index, Σ position·index
      [100, 0.6, 0.6, 100, 50450, 1529069],
      [1000, 0.6, 0.6, 847, 423077, 115943039],
      [333, 0.6, 0.6, 324, 161838, 16132981],
      [200, 2, 0.5, 178, 138413, 10457158],
    ];
    for (const [steps, alpha, beta, length, sum, weighted] of cases) {
      const indices = betaIndices(steps, 1000, alpha, beta);
      expect(indices.length).toBe(length);
      expect(indices.reduce((a, b) => a + b, 0)).toBe(sum);
      expect(indices.reduce((a, b, i) => a + i * b, 0)).toBe(weighted);
      for (let i = 1; i < indices.length; i++) expect(indices[i]).toBeLessThan(indices[i - 1]!);
    }
  });

  it('is symmetric for α = β and starts at the noisiest entry', () => {
    const indices = betaIndices(10, 1000, 0.6, 0.6);
    // quantiles at p and 1 − p: i_k + i_{N−k} = 999, except the median 499.5, which rint sends to 500
    for (let k = 1; k < 10; k++) {
      expect(indices[k]! + indices[10 - k]!).toBe(k === 5 ? 1000 : 999);
    }
    expect(indices[0]).toBe(999);
  });

  it('the node ends at σ̃ = 0 and names bad shape params', async () => {
    const { timesteps } = await betaNode.run(
      { schedule: sd },
      makeTestContext(betaNode.params.parse({ steps: 10 })),
    );
    expect(Array.from(timesteps.t)).toEqual([999, 959, 876, 765, 637, 500, 362, 234, 123, 40, 0]);
    expect(timesteps.sigmaTilde[10]).toBe(0);
    expect(betaNode.params.parse({})).toEqual({ steps: 20, alpha: 0.6, beta: 0.6 });
    expect(paramIssues('beta-timesteps', { beta: 0, alpha: 1000 })).toEqual([
      badParam('alpha', 'expected a shape parameter in [0.01, 100]'),
      badParam('beta', 'expected a shape parameter in [0.01, 100]'),
    ]);
  });
});

describe('sgm_uniform and normal', () => {
  it('space N + 1 (sgm) or N (normal) times from t_max to t_min over the table indices', () => {
    const sgm = clockUniformTimes(sd, 10, 'sgm_uniform');
    [999, 899.1, 799.2, 699.3, 599.4, 499.5, 399.6, 299.7, 199.8, 99.9].forEach((t, i) =>
      expect(sgm[i]).toBeCloseTo(t, 12),
    );
    const normal = clockUniformTimes(sd, 10, 'normal');
    expect([normal[0], normal[9]]).toEqual([999, 0]);
    expect(normal[1]).toBeCloseTo(888, 12);
  });

  it('are log-uniform in σ on EDM (ComfyUI’s clock ¼ ln σ)', async () => {
    const { timesteps } = await sgmUniformNode.run(
      { schedule: edm },
      makeTestContext(sgmUniformNode.params.parse({ steps: 4 })),
    );
    [0, 1, 2, 3].forEach((k) =>
      expect(timesteps.sigmaTilde[k]).toBeCloseTo(80 * (0.002 / 80) ** (k / 4), 12),
    );
    expect(timesteps.sigmaTilde[4]).toBe(0);
  });

  it('are uniform in t on rectified flow, with the shift applied to σ', async () => {
    const params = sgmUniformNode.params.parse({ steps: 3, variant: 'normal' });
    const { timesteps } = await sgmUniformNode.run({ schedule: rf }, makeTestContext(params));
    expect(Array.from(timesteps.t)).toEqual([0.999, 0.5, 0.001, 0]);
    expect(timesteps.sigmaTilde[1]).toBeCloseTo(3, 13);
    expect(sgmUniformNode.params.parse({}).variant).toBe('sgm_uniform');
  });
});

describe('table schedulers on a zero-terminal-SNR table', () => {
  it('start from the capped noisiest entry', async () => {
    const zsnr = ddpmSchedule({
      betaSchedule: 'scaled_linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
      trainSteps: 1000,
      zeroTerminalSnr: true,
    });
    for (const node of [simpleNode, betaNode]) {
      const ctx = makeTestContext(node.params.parse({ steps: 8 }));
      const { timesteps } = await node.run({ schedule: zsnr }, ctx as never);
      expect(timesteps.t[0]).toBe(999);
      expect(timesteps.sigmaTilde[0]).toBeCloseTo(4518.7637, 3);
    }
  });
});
