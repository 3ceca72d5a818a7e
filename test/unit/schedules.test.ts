import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../graph-nodes/core/values';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { rectifiedFlowSchedule } from '../../graph-nodes/schedules/rectified-flow';
import { veSchedule } from '../../graph-nodes/schedules/ve';
import { vpCosineSchedule } from '../../graph-nodes/schedules/vp-cosine';
import { vpLinearSchedule } from '../../graph-nodes/schedules/vp-linear';
import edmNode from '../../graph-nodes/nodes/schedule/edm';
import rectifiedFlowNode from '../../graph-nodes/nodes/schedule/rectified-flow';
import veNode from '../../graph-nodes/nodes/schedule/ve';
import vpCosineNode from '../../graph-nodes/nodes/schedule/vp-cosine';
import vpLinearNode from '../../graph-nodes/nodes/schedule/vp-linear';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext } from './helpers/run-context';

const schedules: Record<string, Schedule> = {
  edm: edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
  ve: veSchedule({ sigmaMin: 0.01, sigmaMax: 50 }),
  'vp-linear': vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 1e-3 }),
  'rectified-flow': rectifiedFlowSchedule({ shift: 1, tMin: 1e-3, tMax: 0.999 }),
  'rectified-flow shift 3': rectifiedFlowSchedule({ shift: 3, tMin: 1e-3, tMax: 0.999 }),
  'vp-cosine': vpCosineSchedule({ s: 0.008, tMin: 1e-3, tMax: 0.9946 }),
};

/** Interior times spread over [tMin, tMax], including both ends' neighbourhoods. */
function sampleTimes(schedule: Schedule): number[] {
  const { tMin, tMax } = schedule;
  return [0.001, 0.05, 0.3, 0.5, 0.8, 0.999].map((f) => tMin + f * (tMax - tMin));
}

function centralDifference(f: (t: number) => number, t: number): number {
  const h = 1e-6 * Math.max(Math.abs(t), 1e-3);
  return (f(t + h) - f(t - h)) / (2 * h);
}

function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

describe.each(Object.entries(schedules))('%s schedule', (_name, schedule) => {
  it('has derivatives that match central finite differences', () => {
    for (const t of sampleTimes(schedule)) {
      expectRelativelyClose(schedule.alphaDot(t), centralDifference(schedule.alpha, t), 1e-6);
      expectRelativelyClose(schedule.sigmaDot(t), centralDifference(schedule.sigma, t), 1e-6);
    }
  });

  it('defines λ = log(α/σ) and σ̃ = σ/α = e^{−λ}', () => {
    for (const t of sampleTimes(schedule)) {
      const alpha = schedule.alpha(t);
      const sigma = schedule.sigma(t);
      expectRelativelyClose(schedule.lambda(t), Math.log(alpha / sigma), 1e-9);
      expect(schedule.sigmaTilde(t) / (sigma / alpha)).toBeCloseTo(1, 9);
      expect(schedule.sigmaTilde(t) / Math.exp(-schedule.lambda(t))).toBeCloseTo(1, 9);
    }
  });

  it('inverts λ(t) and σ̃(t)', () => {
    for (const t of sampleTimes(schedule)) {
      expectRelativelyClose(schedule.tOfLambda(schedule.lambda(t)), t, 1e-9);
      expectRelativelyClose(schedule.tOfSigmaTilde(schedule.sigmaTilde(t)), t, 1e-9);
    }
  });

  it('has σ̃ increasing from the data end to the noise end', () => {
    const times = sampleTimes(schedule);
    for (let i = 1; i < times.length; i++) {
      expect(schedule.sigmaTilde(times[i]!)).toBeGreaterThan(schedule.sigmaTilde(times[i - 1]!));
    }
  });
});

describe('reference values', () => {
  it('VP-linear matches the Score SDE numbers at t = 1 and t = 1e-3', () => {
    const vp = schedules['vp-linear']!;
    expect(vp.alpha(1)).toBeCloseTo(0.00657, 5);
    expect(vp.lambda(1)).toBeCloseTo(-5.025, 3);
    expect(vp.sigmaTilde(1)).toBeCloseTo(152.17, 2);
    expect(vp.sigmaTilde(1e-3)).toBeCloseTo(0.0105, 4);
    expect(vp.alpha(0.4) ** 2 + vp.sigma(0.4) ** 2).toBeCloseTo(1, 14);
    expect(vp.tMin).toBe(1e-3);
    expect(vp.tMax).toBe(1);
  });

  it('VP-linear stays accurate where α ≈ 1 and inverts huge σ̃', () => {
    const vp = schedules['vp-linear']!;
    // g(t) = β_min t to first order: σ̃ ≈ √(0.1 · 1e-8)
    expect(vp.sigmaTilde(1e-8) / Math.sqrt(1e-9)).toBeCloseTo(1, 6);
    expect(vp.tOfSigmaTilde(vp.sigmaTilde(1e-8)) / 1e-8).toBeCloseTo(1, 9);
    expect(vp.tOfLambda(-400)).toBeGreaterThan(1); // no overflow to NaN / Infinity
    expect(Number.isFinite(vp.tOfLambda(-400))).toBe(true);
    expect(vp.tOfSigmaTilde(0)).toBe(0);
  });

  it('EDM is σ = t with α = 1', () => {
    const edm = schedules.edm!;
    expect([edm.tMin, edm.tMax]).toEqual([0.002, 80]);
    expect(edm.sigmaTilde(3.5)).toBe(3.5);
    expect(edm.alpha(3.5)).toBe(1);
    expect(edm.tOfSigmaTilde(0)).toBe(0);
  });

  it('VE runs geometrically from σ_min at t = 0 to σ_max at t = 1', () => {
    const ve = schedules.ve!;
    expect([ve.tMin, ve.tMax]).toEqual([0, 1]);
    expect(ve.sigma(0)).toBeCloseTo(0.01, 14);
    expect(ve.sigma(1)).toBeCloseTo(50, 10);
    expect(ve.sigma(0.5)).toBeCloseTo(Math.sqrt(0.01 * 50), 12);
    expect(ve.sigmaDot(0.5)).toBeCloseTo(ve.sigma(0.5) * Math.log(5000), 12);
  });

  it('rectified flow has σ̃ = t/(1 − t) at shift 1 and σ̃ multiplied by k with shift k', () => {
    const plain = schedules['rectified-flow']!;
    const shifted = schedules['rectified-flow shift 3']!;
    for (const t of [0.01, 0.25, 0.5, 0.9, 0.999]) {
      expectRelativelyClose(plain.sigmaTilde(t), t / (1 - t), 1e-12);
      expect(plain.alpha(t)).toBeCloseTo(1 - t, 14);
      expect(plain.sigma(t)).toBeCloseTo(t, 14);
      expectRelativelyClose(shifted.sigmaTilde(t), 3 * plain.sigmaTilde(t), 1e-12);
      // the shifted noise level is SD3's t' = k t/(1 + (k − 1) t)
      expect(shifted.sigma(t)).toBeCloseTo((3 * t) / (1 + 2 * t), 14);
      expect(shifted.alpha(t) + shifted.sigma(t)).toBeCloseTo(1, 14);
    }
    expect(plain.alphaDot(0.3)).toBe(-1);
    expect(plain.sigmaDot(0.3)).toBe(1);
    expect(plain.tOfSigmaTilde(0)).toBe(0);
    expect(plain.tOfSigmaTilde(Infinity)).toBe(1);
  });
});

describe('VP-cosine', () => {
  const cosine = schedules['vp-cosine']!;
  const s = 0.008;
  const textbookAlpha = (t: number): number =>
    Math.cos(((t + s) / (1 + s)) * (Math.PI / 2)) / Math.cos((s / (1 + s)) * (Math.PI / 2));

  it('has α(0) = 1, σ(0) = 0 and follows Nichol & Dhariwal’s α, with α² + σ² = 1', () => {
    expect(cosine.alpha(0)).toBe(1);
    expect(cosine.sigma(0)).toBe(0);
    expect(cosine.sigmaTilde(0)).toBe(0);
    expect(cosine.tOfSigmaTilde(0)).toBe(0);
    for (const t of [0.01, 0.3, 0.5, 0.9, 0.9946]) {
      expect(cosine.alpha(t)).toBeCloseTo(textbookAlpha(t), 14);
      expect(cosine.alpha(t) ** 2 + cosine.sigma(t) ** 2).toBeCloseTo(1, 14);
    }
    expect(cosine.alphaDot(0.4)).toBeCloseTo(
      (-(Math.PI / (2 * (1 + s))) * Math.sin(((0.4 + s) / (1 + s)) * (Math.PI / 2))) /
        Math.cos((s / (1 + s)) * (Math.PI / 2)),
      14,
    );
  });

  it('stops at t = 0.9946 (DPM-Solver), where λ ≈ −4.78 stays above diffusers’ clip −5.1', () => {
    expect([cosine.tMin, cosine.tMax]).toEqual([1e-3, 0.9946]);
    // numpy, from the textbook α: λ(0.9946) = −4.777640469375063, σ̃(1e-3) = 0.006425412771133421
    expect(cosine.lambda(0.9946)).toBeCloseTo(-4.777640469375063, 9);
    expect(cosine.lambda(0.9946)).toBeGreaterThan(-5.1);
    expect(cosine.sigmaTilde(1e-3)).toBeCloseTo(0.006425412771133421, 13);
    expect(cosine.lambda(0.5)).toBeCloseTo(-0.012313441405757165, 12);
  });

  it('keeps full relative precision where α ≈ 1 and inverts σ̃ there', () => {
    // σ̃ ≈ √(2 θ₀ θ̇ t) for small t (σ² ≈ 2 tan θ₀ · θ̇ t), with 1 − α² far below machine ε
    const theta0 = (s / (1 + s)) * (Math.PI / 2);
    const thetaDot = Math.PI / (2 * (1 + s));
    const t = 1e-14;
    expect(cosine.sigmaTilde(t) / Math.sqrt(2 * Math.tan(theta0) * thetaDot * t)).toBeCloseTo(1, 6);
    expect(cosine.tOfSigmaTilde(cosine.sigmaTilde(1e-10)) / 1e-10).toBeCloseTo(1, 12);
    expect(cosine.tOfSigmaTilde(Infinity)).toBe(1);
    expect(cosine.tOfSigmaTilde(1e200)).toBeCloseTo(1, 14);
  });
});

describe('EDM σ_data', () => {
  it('travels with the schedule (0.5 unless given)', () => {
    expect(schedules.edm!.sigmaData).toBe(0.5);
    expect(edmSchedule({ sigmaMin: 0.002, sigmaMax: 80, sigmaData: 1 }).sigmaData).toBe(1);
    expect(schedules.ve!.sigmaData).toBeUndefined();
    expect(() => edmSchedule({ sigmaMin: 0.002, sigmaMax: 80, sigmaData: 0 })).toThrow(/sigmaData/);
  });
});

describe('validation', () => {
  it('refuses impossible parameters with messages that name them', () => {
    expect(() => edmSchedule({ sigmaMin: 0, sigmaMax: 80 })).toThrow(/sigmaMin/);
    expect(() => edmSchedule({ sigmaMin: 1, sigmaMax: 0.5 })).toThrow(/sigmaMax/);
    expect(() => veSchedule({ sigmaMin: 50, sigmaMax: 50 })).toThrow(/sigmaMax/);
    expect(() => vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 0 })).toThrow(/tEps/);
    expect(() => vpLinearSchedule({ betaMin: 30, betaMax: 20, tEps: 1e-3 })).toThrow(/betaMax/);
    expect(() => rectifiedFlowSchedule({ shift: 1, tMin: 1e-3, tMax: 1 })).toThrow(/tMax/);
    expect(() => rectifiedFlowSchedule({ shift: 0, tMin: 1e-3, tMax: 0.9 })).toThrow(/shift/);
    expect(() => vpCosineSchedule({ s: 0.008, tMin: 1e-3, tMax: 1 })).toThrow(/tMax/);
    expect(() => vpCosineSchedule({ s: 0.008, tMin: 0, tMax: 0.99 })).toThrow(/tMin/);
    expect(() => vpCosineSchedule({ s: 0, tMin: 1e-3, tMax: 0.99 })).toThrow(/s must/);
  });
});

describe('schedule nodes', () => {
  it('build their schedules from default params', async () => {
    const edm = (await edmNode.run({}, makeTestContext(edmNode.params.parse({})))).schedule;
    expect([edm.tMin, edm.tMax]).toEqual([0.002, 80]);
    const ve = (await veNode.run({}, makeTestContext(veNode.params.parse({})))).schedule;
    expect(ve.sigmaTilde(1)).toBeCloseTo(50, 10);
    const vp = (await vpLinearNode.run({}, makeTestContext(vpLinearNode.params.parse({}))))
      .schedule;
    expect(vp.sigmaTilde(1)).toBeCloseTo(152.17, 2);
    const rf = (
      await rectifiedFlowNode.run({}, makeTestContext(rectifiedFlowNode.params.parse({})))
    ).schedule;
    expect([rf.tMin, rf.tMax]).toEqual([1e-3, 0.999]);
    expect(rf.sigmaTilde(rf.tMax)).toBeCloseTo(999, 9);
    const cosine = (await vpCosineNode.run({}, makeTestContext(vpCosineNode.params.parse({}))))
      .schedule;
    expect([cosine.tMin, cosine.tMax]).toEqual([1e-3, 0.9946]);
    expect(cosine.name).toBe('vp-cosine');
    expect(edm.sigmaData).toBe(0.5);
    const edmData = await edmNode.run({}, makeTestContext(edmNode.params.parse({ sigma_data: 1 })));
    expect(edmData.schedule.sigmaData).toBe(1);
  });

  it('refuse bad params at compile time, naming the param and what it expects', () => {
    expect(paramIssues('edm-schedule', { sigma_min: 5, sigma_max: 1 })).toEqual([
      badParam('sigma_max', 'must be greater than sigma_min = 5 (got 1)'),
    ]);
    expect(paramIssues('edm-schedule', { sigma_data: -1, sigma_max: 1e7 })).toEqual([
      badParam('sigma_max', 'expected a noise level σ̃ in [1e-6, 1e6]'),
      badParam('sigma_data', 'expected a standard deviation in (0, 1e6]'),
    ]);
    expect(paramIssues('vp-linear-schedule', { t_eps: 2 })).toEqual([
      badParam('t_eps', 'expected a number in (0, 1)'),
    ]);
    expect(paramIssues('vp-linear-schedule', { beta_min: 30, beta_max: 20 })).toEqual([
      badParam('beta_max', 'must be greater than beta_min = 30 (got 20)'),
    ]);
    expect(paramIssues('rectified-flow-schedule', { t_max: 1 })).toEqual([
      badParam('t_max', 'expected a number in (0, 1)'),
    ]);
    expect(paramIssues('rectified-flow-schedule', { t_min: 0.5, t_max: 0.4 })).toEqual([
      badParam('t_max', 'must be greater than t_min = 0.5 (got 0.4)'),
    ]);
    expect(paramIssues('ve-schedule', { sigma_min: -1 })).toEqual([
      badParam('sigma_min', 'expected a noise level σ̃ in [1e-6, 1e6]'),
    ]);
    expect(paramIssues('vp-cosine-schedule', { t_max: 1, s: 0 })).toEqual([
      badParam('s', 'expected a number in (0, 1]'),
      badParam('t_max', 'expected a number in (0, 1)'),
    ]);
  });

  it('refuse params whose schedule leaves the noise levels a graph may use', () => {
    // Each param is fine alone; together they put σ̃(1) at √(e^{½·99.9 + 0.1}) ≈ 7.4e10.
    expect(paramIssues('vp-linear-schedule', { beta_max: 100 })).toEqual([
      badParam('beta_max', 'makes the largest noise level σ̃(t_max) = 7.383e10, above 1e6'),
    ]);
    expect(paramIssues('vp-linear-schedule', { beta_min: 0, t_eps: 1e-9 })).toEqual([
      badParam('t_eps', /makes the smallest noise level σ̃\(t_min\) = .*, below 1e-6/),
    ]);
    expect(paramIssues('rectified-flow-schedule', { shift: 1000, t_max: 0.9999 })).toEqual([
      badParam('t_max', /makes the largest noise level σ̃\(t_max\) = 9999\d*\.?\d*, above 1e6/),
    ]);
    expect(paramIssues('rectified-flow-schedule', { shift: 1e-4 })).toEqual([
      badParam('t_min', /makes the smallest noise level .* below 1e-6/),
    ]);
  });
});
