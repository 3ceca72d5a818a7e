import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../graph-nodes/core/values';
import ddpmNode from '../../graph-nodes/nodes/schedule/ddpm';
import {
  ddpmAlphasCumprod,
  ddpmBetas,
  ddpmSchedule,
  ddpmSigmas,
  type DdpmScheduleParams,
  ZERO_TERMINAL_SNR_ALPHA_BAR,
} from '../../graph-nodes/schedules/ddpm';
import { discreteSchedule } from '../../graph-nodes/schedules/discrete';
import { vpCosineSchedule } from '../../graph-nodes/schedules/vp-cosine';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext } from './helpers/run-context';

const linear: DdpmScheduleParams = {
  betaSchedule: 'linear',
  betaStart: 1e-4,
  betaEnd: 0.02,
  trainSteps: 1000,
  zeroTerminalSnr: false,
};
const scaledLinear: DdpmScheduleParams = {
  ...linear,
  betaSchedule: 'scaled_linear',
  betaStart: 0.00085,
  betaEnd: 0.012,
};
const cosineTable: DdpmScheduleParams = { ...linear, betaSchedule: 'squaredcos_cap_v2' };

const schedules: Record<string, Schedule> = {
  linear: ddpmSchedule(linear),
  scaled_linear: ddpmSchedule(scaledLinear),
  'scaled_linear zero terminal SNR': ddpmSchedule({ ...scaledLinear, zeroTerminalSnr: true }),
  squaredcos_cap_v2: ddpmSchedule(cosineTable),
};

// Off the integer knots (where the slope jumps), spread over the whole table.
const SAMPLE_TIMES = [0.37, 1.5, 49.25, 299.7, 499.5, 800.8, 997.6, 998.4];

// Every segment is smooth (log σ̃ linear), so a wide step stays inside it and above round-off.
const H = 1e-4;

function centralDifference(f: (t: number) => number, t: number): number {
  return (f(t + H) - f(t - H)) / (2 * H);
}

function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  // α and σ are O(1), so a difference quotient carries ~1e-16/H of round-off
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected) + 1e-11);
}

describe.each(Object.entries(schedules))('DDPM %s schedule', (_name, schedule) => {
  it('runs over the table indices 0 … 999 and exposes its σ̃ table', () => {
    expect([schedule.tMin, schedule.tMax]).toEqual([0, 999]);
    const table = schedule.discreteSigmas!;
    expect(table.length).toBe(1000);
    for (const i of [0, 1, 500, 998, 999]) expect(schedule.sigmaTilde(i)).toBe(table[i]);
  });

  it('has derivatives that match central finite differences between the knots', () => {
    for (const t of SAMPLE_TIMES) {
      expectRelativelyClose(schedule.alphaDot(t), centralDifference(schedule.alpha, t), 1e-6);
      expectRelativelyClose(schedule.sigmaDot(t), centralDifference(schedule.sigma, t), 1e-6);
    }
  });

  it('interpolates log σ̃ linearly between entries (k-diffusion DiscreteSchedule)', () => {
    const table = schedule.discreteSigmas!;
    const t = 499.25;
    expectRelativelyClose(
      schedule.sigmaTilde(t),
      Math.exp(0.75 * Math.log(table[499]!) + 0.25 * Math.log(table[500]!)),
      1e-14,
    );
    // at a knot the derivative is the segment above's (below's at the last entry)
    const above = (schedule.sigma(1 + H) - schedule.sigma(1)) / H;
    const below = (schedule.sigma(1) - schedule.sigma(1 - H)) / H;
    expectRelativelyClose(schedule.sigmaDot(1), above, 1e-3);
    expect(Math.abs(schedule.sigmaDot(1) - below)).toBeGreaterThan(0.05 * Math.abs(below));
    const last = (schedule.sigma(999) - schedule.sigma(999 - H)) / H;
    expectRelativelyClose(schedule.sigmaDot(999), last, 1e-3);
  });

  it('is variance preserving with λ = log(α/σ) and σ̃ = e^{−λ}', () => {
    for (const t of SAMPLE_TIMES) {
      const alpha = schedule.alpha(t);
      const sigma = schedule.sigma(t);
      expect(alpha ** 2 + sigma ** 2).toBeCloseTo(1, 14);
      expect(schedule.lambda(t)).toBeCloseTo(Math.log(alpha / sigma), 11);
      expectRelativelyClose(schedule.sigmaTilde(t), Math.exp(-schedule.lambda(t)), 1e-14);
    }
  });

  it('inverts λ(t) and σ̃(t), knots exactly', () => {
    for (const t of SAMPLE_TIMES) {
      expect(schedule.tOfLambda(schedule.lambda(t))).toBeCloseTo(t, 10);
      expect(schedule.tOfSigmaTilde(schedule.sigmaTilde(t))).toBeCloseTo(t, 10);
    }
    const table = schedule.discreteSigmas!;
    for (const i of [0, 1, 2, 250, 998, 999]) expect(schedule.tOfSigmaTilde(table[i]!)).toBe(i);
  });

  it('clamps outside the table: σ̃ below σ̃_0 (and 0) maps to t = 0', () => {
    expect(schedule.tOfSigmaTilde(0)).toBe(0);
    expect(schedule.tOfSigmaTilde(1e-9)).toBe(0);
    expect(schedule.tOfSigmaTilde(1e9)).toBe(999);
    expect(schedule.sigmaTilde(-3)).toBe(schedule.sigmaTilde(0));
    expect(schedule.sigmaTilde(1200)).toBe(schedule.sigmaTilde(999));
    expect(schedule.tOfSigmaTilde(NaN)).toBeNaN();
    expect([schedule.sigmaDot(-1), schedule.alphaDot(1000)]).toEqual([0, -0]);
  });
});

describe('DDPM tables against the reference', () => {
  it('linear β ∈ [1e-4, 0.02] gives σ̃ ∈ [0.0100, 157.4]', () => {
    const sigmas = ddpmSigmas(linear);
    expect(sigmas[0]).toBeCloseTo(0.01, 4);
    expect(sigmas[999]).toBeCloseTo(157.4, 1);
    // numpy float64: 0.010000500037502575 and 157.40728081040757
    expectRelativelyClose(sigmas[0]!, 0.010000500037502575, 1e-11);
    expectRelativelyClose(sigmas[999]!, 157.40728081040757, 1e-11);
    const betas = ddpmBetas('linear', 1e-4, 0.02, 1000);
    expect([betas[0], betas[999]]).toEqual([1e-4, 0.02]);
  });

  it('scaled_linear (Stable Diffusion) gives σ̃ ∈ [0.0292, 14.6146]', () => {
    const sigmas = ddpmSigmas(scaledLinear);
    expect(sigmas[0]).toBeCloseTo(0.0292, 4);
    expect(sigmas[999]).toBeCloseTo(14.6146, 4);
    expectRelativelyClose(sigmas[999]!, 14.614641229333639, 1e-12);
    const betas = ddpmBetas('scaled_linear', 0.00085, 0.012, 1000);
    expect(betas[0]).toBeCloseTo(0.00085, 17);
    expect(betas[999]).toBeCloseTo(0.012, 16);
    expect(Math.sqrt(betas[1]!) - Math.sqrt(betas[0]!)).toBeCloseTo(
      (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999,
      15,
    );
  });

  it('squaredcos_cap_v2 is the cosine schedule sampled at t = (i + 1)/T', () => {
    const table = ddpmSigmas(cosineTable);
    const continuous = vpCosineSchedule({ s: 0.008, tMin: 1e-3, tMax: 0.9946 });
    for (const i of [0, 99, 499, 900]) {
      expectRelativelyClose(table[i]!, continuous.sigmaTilde((i + 1) / 1000), 1e-9);
    }
  });
});

describe('zero terminal SNR', () => {
  const rescaled = ddpmAlphasCumprod({ ...scaledLinear, zeroTerminalSnr: true });
  const plain = ddpmAlphasCumprod(scaledLinear);

  it('makes ᾱ_{T−1} exactly 0 and keeps ᾱ_0', () => {
    expect(rescaled[999]).toBe(0);
    expect(rescaled[0]).toBe(plain[0]);
    expect(plain[999]).toBeGreaterThan(0.004);
    // √ᾱ is an affine map of the old √ᾱ: check it at an interior entry
    const first = Math.sqrt(plain[0]!);
    const last = Math.sqrt(plain[999]!);
    expect(Math.sqrt(rescaled[400]!)).toBeCloseTo(
      ((Math.sqrt(plain[400]!) - last) * first) / (first - last),
      15,
    );
  });

  it('caps the infinite last σ̃ at ComfyUI’s ᾱ = 4.8973e-8 (σ̃ ≈ 4518.76)', () => {
    const sigmas = ddpmSigmas({ ...scaledLinear, zeroTerminalSnr: true });
    expect(sigmas[999]).toBeCloseTo(
      Math.sqrt((1 - ZERO_TERMINAL_SNR_ALPHA_BAR) / ZERO_TERMINAL_SNR_ALPHA_BAR),
      9,
    );
    expect(sigmas[999]).toBeCloseTo(4518.7637, 3);
    // numpy: the entries before it are untouched by the cap
    expect(sigmas[998]).toBeCloseTo(2254.2379783369956, 8);
    expect(sigmas[1]).toBeCloseTo(0.04206756583188524, 14);
    expect(sigmas[0]).toBe(ddpmSigmas(scaledLinear)[0]);
  });
});

describe('validation', () => {
  it('refuses bad tables and parameters by name', () => {
    expect(() => discreteSchedule('x', new Float64Array([1]))).toThrow(/at least 2/);
    expect(() => discreteSchedule('x', new Float64Array([1, 1]))).toThrow(/ascending.*σ̃\[1\]/);
    expect(() => discreteSchedule('x', new Float64Array([0, 1]))).toThrow(/σ̃\[0\] = 0/);
    expect(() => ddpmSigmas({ ...linear, trainSteps: 1 })).toThrow(/trainSteps/);
    expect(() => ddpmSigmas({ ...linear, betaStart: 0 })).toThrow(/betaStart/);
    expect(() => ddpmSigmas({ ...linear, betaEnd: 1e-5 })).toThrow(/betaEnd/);
  });
});

describe('ddpm-schedule node', () => {
  it('defaults to the linear DDPM table with 1000 steps, and 0 takes the standard β range', async () => {
    const params = ddpmNode.params.parse({});
    expect(params).toEqual({
      beta_schedule: 'linear',
      beta_start: 0,
      beta_end: 0,
      num_train_timesteps: 1000,
      zero_terminal_snr: false,
    });
    const { schedule } = await ddpmNode.run({}, makeTestContext(params));
    expect(Array.from(schedule.discreteSigmas!)).toEqual(Array.from(ddpmSigmas(linear)));
    const sd = await ddpmNode.run(
      {},
      makeTestContext(
        ddpmNode.params.parse({ beta_schedule: 'scaled_linear', zero_terminal_snr: true }),
      ),
    );
    expect(sd.schedule.sigmaTilde(999)).toBeCloseTo(4518.7637, 3);
    expect(sd.schedule.sigmaTilde(0)).toBeCloseTo(0.0292, 4);
    const short = await ddpmNode.run(
      {},
      makeTestContext(ddpmNode.params.parse({ num_train_timesteps: 10, beta_end: 0.2 })),
    );
    expect(short.schedule.tMax).toBe(9);
  });

  it('refuses bad params at compile time, naming the param', () => {
    expect(paramIssues('ddpm-schedule', { beta_start: 0.5, beta_end: 0.1 })).toEqual([
      badParam('beta_end', 'must be at least β_start = 0.5 (got 0.1'),
    ]);
    // 0 stands for the standard β_end (0.02 for linear), below this β_start.
    expect(paramIssues('ddpm-schedule', { beta_start: 0.05 })).toEqual([
      badParam('beta_end', 'must be at least β_start = 0.05 (got 0.02'),
    ]);
    expect(paramIssues('ddpm-schedule', { beta_start: 1 })).toEqual([
      badParam('beta_start', 'expected a number in [0, 1)'),
    ]);
    expect(paramIssues('ddpm-schedule', { beta_schedule: 'quadratic' })).toEqual([
      expect.objectContaining({ code: 'bad-param', param: 'beta_schedule' }),
    ]);
  });

  it('refuses tables whose noise levels a graph cannot use', () => {
    // ᾱ underflows to 0 long before the end of a 100000-step linear table: σ̃ = ∞.
    expect(paramIssues('ddpm-schedule', { num_train_timesteps: 100_000 })).toEqual([
      badParam('num_train_timesteps', 'is not finite and > 0'),
    ]);
    expect(paramIssues('ddpm-schedule', { beta_start: 1e-14 })).toEqual([
      badParam('beta_start', 'makes the smallest noise level σ̃(t_min) = 9.996e-8, below 1e-6'),
    ]);
    // Linear β at T = 1000: the rescaled next-to-last σ̃ passes the capped last one (≈ 4519).
    expect(paramIssues('ddpm-schedule', { zero_terminal_snr: true })).toEqual([
      badParam('zero_terminal_snr', 'the σ̃ table must be strictly ascending'),
    ]);
    expect(
      paramIssues('ddpm-schedule', { beta_schedule: 'scaled_linear', zero_terminal_snr: true }),
    ).toEqual([]);
  });
});
