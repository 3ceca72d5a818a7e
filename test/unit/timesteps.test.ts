import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../graph-nodes/math/npy';
import exponentialNode from '../../graph-nodes/nodes/timesteps/exponential';
import karrasNode from '../../graph-nodes/nodes/timesteps/karras';
import klOptimalNode from '../../graph-nodes/nodes/timesteps/kl-optimal';
import polyexponentialNode from '../../graph-nodes/nodes/timesteps/polyexponential';
import uniformNode from '../../graph-nodes/nodes/timesteps/uniform';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { rectifiedFlowSchedule } from '../../graph-nodes/schedules/rectified-flow';
import { veSchedule } from '../../graph-nodes/schedules/ve';
import { vpLinearSchedule } from '../../graph-nodes/schedules/vp-linear';
import { timestepsFromSigmas, timestepsFromTimes } from '../../graph-nodes/timesteps/from-sigmas';
import { exponentialSigmas, polyexponentialSigmas } from '../../graph-nodes/timesteps/exponential';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { klOptimalSigmas } from '../../graph-nodes/timesteps/kl-optimal';
import { uniformTimes } from '../../graph-nodes/timesteps/uniform';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext } from './helpers/run-context';

import { REFERENCE_DIR } from './helpers/reference';
const edm = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
const vp = vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 1e-3 });
const ve = veSchedule({ sigmaMin: 0.01, sigmaMax: 50 });
const rf = rectifiedFlowSchedule({ shift: 1, tMin: 1e-3, tMax: 0.999 });

/** Each entry agrees with the printed reference to its printed significant digits. */
function expectPrintedValues(actual: Float64Array, printed: number[]): void {
  expect(actual.length).toBe(printed.length);
  printed.forEach((value, i) => {
    const digits =
      value === 0
        ? 0
        : String(value)
            .replace(/^[0.]+/, '')
            .replace('.', '').length;
    const tolerance = value === 0 ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(value)) - digits + 1);
    expect(Math.abs(actual[i]! - value)).toBeLessThanOrEqual(tolerance * 1.0001);
  });
}

function stableDiffusionSigmaRange(): { sigmaMin: number; sigmaMax: number } {
  const trainSteps = 1000;
  const [low, high] = [Math.sqrt(0.00085), Math.sqrt(0.012)];
  let alphaBar = 1;
  const sigmas: number[] = [];
  for (let i = 0; i < trainSteps; i++) {
    const beta = (low + (i / (trainSteps - 1)) * (high - low)) ** 2;
    alphaBar *= 1 - beta;
    sigmas.push(Math.sqrt((1 - alphaBar) / alphaBar));
  }
  return { sigmaMin: sigmas[0]!, sigmaMax: sigmas[trainSteps - 1]! };
}

function readReferenceSigmas(steps: number): Float64Array {
  const file = `${REFERENCE_DIR}/sigmas_${steps}.npy`;
  const array = parseNpy(readFileSync(file), file);
  expect(array.dtype).toBe('float64');
  return array.data as Float64Array;
}

describe('karrasSigmas', () => {
  it('reproduces the EDM list n = 5 on (0.002, 80)', () => {
    expectPrintedValues(karrasSigmas(5, 0.002, 80, 7), [80, 17.528, 2.5152, 0.16975, 0.002, 0]);
  });

  it('reproduces the Stable Diffusion list n = 10 on (0.0292, 14.6146)', () => {
    // The printed list uses the unrounded ends of SD's "scaled_linear" DDPM table
    // (β = linspace(√0.00085, √0.012, 1000)², ᾱ = Π(1 − β), σ̃ = √((1 − ᾱ)/ᾱ)).
    const { sigmaMin, sigmaMax } = stableDiffusionSigmaRange();
    expect(sigmaMin).toBeCloseTo(0.0292, 4);
    expect(sigmaMax).toBeCloseTo(14.6146, 4);
    expectPrintedValues(
      karrasSigmas(10, sigmaMin, sigmaMax, 7),
      [14.6146, 9.1029, 5.4784, 3.1686, 1.7494, 0.9141, 0.4469, 0.2014, 0.0819, 0.0292, 0],
    );
  });

  // k-diffusion ran in torch float64, whose vectorised linspace (FMA) and SLEEF pow round a few
  // interior entries differently from any scalar evaluation (numpy's included). The end points
  // and n = 5 are bit-identical; interior entries agree to within 16 ulps (≈ 4e-15 relative).
  it.each([5, 10, 25])('matches k-diffusion’s float64 sigmas_%i.npy', (steps) => {
    const reference = readReferenceSigmas(steps);
    const ours = karrasSigmas(steps, 0.002, 80, 7);
    expect(ours.length).toBe(reference.length);
    expect(ours[0]).toBe(reference[0]);
    expect(ours[steps - 1]).toBe(reference[steps - 1]);
    expect(ours[steps]).toBe(0);
    ours.forEach((value, i) => {
      expect(Math.abs(value - reference[i]!)).toBeLessThanOrEqual(16 * Number.EPSILON * value);
    });
    if (steps === 5) expect(Array.from(ours)).toEqual(Array.from(reference));
  });

  it('gives [σ_max, 0] for a single step', () => {
    expect(Array.from(karrasSigmas(1, 0.002, 80, 7))).toEqual([80, 0]);
  });

  it('ends on σ_min even when a small ρ cancels the last entry to nothing', () => {
    // σ^{1/ρ} with ρ = 0.1: 80^10 = 1e19 dwarfs 0.002^10, and 1e19 + (1e-27 − 1e19) = 0.
    const sigmas = karrasSigmas(20, 0.002, 80, 0.1);
    expect(sigmas[19]).toBe(0.002);
    for (let i = 1; i < 20; i++) expect(sigmas[i]).toBeLessThan(sigmas[i - 1]!);
  });

  it('refuses bad arguments', () => {
    expect(() => karrasSigmas(0, 0.002, 80, 7)).toThrow(/steps/);
    expect(() => karrasSigmas(2.5, 0.002, 80, 7)).toThrow(/steps/);
    expect(() => karrasSigmas(10, 0, 80, 7)).toThrow(/sigmaMin/);
    expect(() => karrasSigmas(10, 80, 0.002, 7)).toThrow(/sigmaMax/);
    expect(() => karrasSigmas(10, 0.002, 80, 0)).toThrow(/rho/);
  });
});

describe('exponentialSigmas', () => {
  it('is uniform in log σ̃: n = 5 on (0.002, 80) is geometric with ratio 40000^{-1/4}', () => {
    const sigmas = exponentialSigmas(5, 0.002, 80);
    // numpy, to 15 digits: exp(linspace(ln 80, ln 0.002, 5))
    expectPrintedValues(sigmas, [80, 5.65685424949238, 0.4, 0.0282842712474619, 0.002, 0]);
    expect([sigmas[0], sigmas[4], sigmas[5]]).toEqual([80, 0.002, 0]);
    for (let i = 1; i < 4; i++) {
      expect(Math.log(sigmas[i - 1]!) - Math.log(sigmas[i]!)).toBeCloseTo(Math.log(40000) / 4, 13);
    }
  });

  it('is uniform in λ on any schedule (its times have equal λ steps)', () => {
    const sigmas = exponentialSigmas(8, vp.sigmaTilde(1e-3), vp.sigmaTilde(1));
    const timesteps = timestepsFromSigmas(vp, sigmas);
    const lambdas = Array.from(timesteps.t.subarray(0, 8), (t) => vp.lambda(t));
    for (let i = 1; i < 8; i++) {
      expect(lambdas[i]! - lambdas[i - 1]!).toBeCloseTo((lambdas[7]! - lambdas[0]!) / 7, 10);
    }
  });

  it('gives [σ_max, 0] for one step and refuses bad ranges', () => {
    expect(Array.from(exponentialSigmas(1, 0.002, 80))).toEqual([80, 0]);
    expect(() => exponentialSigmas(3, 80, 0.002)).toThrow(/sigmaMax/);
    expect(() => exponentialSigmas(0, 0.002, 80)).toThrow(/steps/);
  });
});

describe('polyexponentialSigmas', () => {
  it('equals the exponential list at ρ = 1 and bends it with ρ', () => {
    const exponential = exponentialSigmas(7, 0.002, 80);
    polyexponentialSigmas(7, 0.002, 80, 1).forEach((sigma, i) => {
      expect(sigma).toBeCloseTo(exponential[i]!, 12);
    });
    // numpy: exp(linspace(1, 0, 5)**2 · ln(80/0.002) + ln 0.002)
    expectPrintedValues(
      polyexponentialSigmas(5, 0.002, 80, 2),
      [80, 0.775690978994743, 0.0282842712474619, 0.00387845489497372, 0.002, 0],
    );
    expect(() => polyexponentialSigmas(5, 0.002, 80, 0)).toThrow(/rho/);
    // (1/999)^7 ≈ 1e-21: the last levels all round to σ_min, which no solver can step between.
    expect(() => polyexponentialSigmas(1000, 0.002, 80, 7)).toThrow(
      /with rho = 7 and 1000 steps, levels 995 and 996 both round to σ̃ = 0\.002\d*; lower rho/,
    );
  });
});

describe('klOptimalSigmas', () => {
  it('is uniform in arctan σ̃ (the kl_optimal formula)', () => {
    // numpy: tan(i/4·atan 0.002 + (1 − i/4)·atan 80)
    const sigmas = klOptimalSigmas(5, 0.002, 80);
    expectPrintedValues(
      sigmas,
      [80, 2.35488417369652, 0.989555383218144, 0.412311223433402, 0.002, 0],
    );
    for (let i = 1; i < 5; i++) {
      expect(Math.atan(sigmas[i - 1]!) - Math.atan(sigmas[i]!)).toBeCloseTo(
        (Math.atan(80) - Math.atan(0.002)) / 4,
        13,
      );
    }
    expect(Array.from(klOptimalSigmas(1, 0.002, 80))).toEqual([80, 0]);
    expect(() => klOptimalSigmas(3, 1, 1)).toThrow(/sigmaMin < sigmaMax/);
  });
});

describe('uniformTimes', () => {
  it('spaces times evenly from t_max down to t_min, both exact', () => {
    const times = uniformTimes(5, 0.2, 1);
    expect(times[0]).toBe(1);
    expect(times[4]).toBe(0.2);
    [1, 0.8, 0.6, 0.4, 0.2].forEach((t, i) => expect(times[i]).toBeCloseTo(t, 15));
    expect(Array.from(uniformTimes(1, 0.2, 1))).toEqual([1]);
    expect(() => uniformTimes(3, 1, 0.2)).toThrow(/tMin < tMax/);
  });
});

describe('timestepsFromSigmas / timestepsFromTimes', () => {
  it('appends σ̃ = 0 and maps every σ̃ to its schedule time', () => {
    const timesteps = timestepsFromSigmas(vp, new Float64Array([100, 10, 1, 0.1]));
    expect(Array.from(timesteps.sigmaTilde)).toEqual([100, 10, 1, 0.1, 0]);
    expect(timesteps.schedule).toBe(vp);
    timesteps.sigmaTilde.forEach((sigma, i) => {
      expect(vp.sigmaTilde(timesteps.t[i]!)).toBeCloseTo(sigma, 10);
    });
    expect(timesteps.t[4]).toBe(0);
  });

  it('keeps an existing final 0 instead of duplicating it', () => {
    const timesteps = timestepsFromSigmas(edm, karrasSigmas(4, 0.002, 80, 7));
    expect(timesteps.sigmaTilde.length).toBe(5);
    expect(timesteps.t[4]).toBe(0);
    expect(Array.from(timesteps.t)).toEqual(Array.from(timesteps.sigmaTilde));
  });

  it('uses t = 0 at σ̃ = 0 on rectified flow and the data end on VE (σ never reaches 0)', () => {
    expect(timestepsFromSigmas(rf, new Float64Array([9, 1])).t[2]).toBe(0);
    const veSteps = timestepsFromSigmas(ve, new Float64Array([50, 1, 0.01]));
    expect(veSteps.t[0]).toBeCloseTo(1, 12);
    expect(veSteps.t[2]).toBeCloseTo(0, 12);
    expect(veSteps.t[3]).toBe(0);
  });

  it('rejects unordered, negative, non-finite or empty lists with the offending entry', () => {
    expect(() => timestepsFromSigmas(edm, new Float64Array([1, 2]))).toThrow(
      /descending.*sigma\[1\] = 2/,
    );
    expect(() => timestepsFromSigmas(edm, new Float64Array([1, 1]))).toThrow(/descending/);
    expect(() => timestepsFromSigmas(edm, new Float64Array([1, -1]))).toThrow(/sigma\[1\] = -1/);
    expect(() => timestepsFromSigmas(edm, new Float64Array([NaN]))).toThrow(/sigma\[0\] = NaN/);
    expect(() => timestepsFromSigmas(edm, new Float64Array([]))).toThrow(/empty/);
    expect(() => timestepsFromSigmas(edm, new Float64Array([0]))).toThrow(/no positive/);
    expect(() => timestepsFromTimes(vp, new Float64Array([0.5, 0.7]))).toThrow(/t\[1\] = 0.7/);
  });

  it('maps descending times through σ̃(t) and keeps the given times exactly', () => {
    const times = uniformTimes(4, 1e-3, 1);
    const timesteps = timestepsFromTimes(vp, times);
    expect(timesteps.sigmaTilde.length).toBe(5);
    expect(timesteps.sigmaTilde[0]).toBeCloseTo(152.17, 2);
    expect(timesteps.sigmaTilde[3]).toBeCloseTo(0.0105, 4);
    expect(timesteps.sigmaTilde[4]).toBe(0);
    expect(Array.from(timesteps.t)).toEqual([...times, 0]);
    // a final t whose σ̃ is already 0 is the terminal entry, not followed by another 0
    const withZero = timestepsFromTimes(rf, new Float64Array([0.5, 0.25, 0]));
    expect(Array.from(withZero.sigmaTilde)).toEqual([1, 1 / 3, 0]);
  });
});

describe('timestep nodes', () => {
  it('karras-timesteps takes the schedule’s σ̃ range when sigma_min / sigma_max are 0', async () => {
    const params = karrasNode.params.parse({});
    expect(params).toEqual({ steps: 20, sigma_min: 0, sigma_max: 0, rho: 7 });
    const onEdm = (await karrasNode.run({ schedule: edm }, makeTestContext(params))).timesteps;
    expect(onEdm.sigmaTilde.length).toBe(21);
    expect(onEdm.sigmaTilde[0]).toBe(80);
    expect(onEdm.sigmaTilde[19]).toBeCloseTo(0.002, 15);
    expect(onEdm.sigmaTilde[20]).toBe(0);
    const onVp = (await karrasNode.run({ schedule: vp }, makeTestContext(params))).timesteps;
    expect(onVp.sigmaTilde[0]).toBeCloseTo(152.17, 2);
    expect(onVp.sigmaTilde[19]).toBeCloseTo(0.0105, 4);
    expect(onVp.t[0]).toBeCloseTo(1, 12);
    expect(onVp.t[19]).toBeCloseTo(1e-3, 12);
  });

  it('karras-timesteps uses explicit values and names a bad param', async () => {
    const ctx = makeTestContext(
      karrasNode.params.parse({ steps: 5, sigma_min: 0.002, sigma_max: 80 }),
    );
    const { timesteps } = await karrasNode.run({ schedule: vp }, ctx);
    expectPrintedValues(timesteps.sigmaTilde, [80, 17.528, 2.5152, 0.16975, 0.002, 0]);
    expect(paramIssues('karras-timesteps', { sigma_min: 100, sigma_max: 10 })).toEqual([
      badParam('sigma_max', 'must be greater than sigma_min = 100 (got 10)'),
    ]);
    expect(paramIssues('karras-timesteps', { steps: 0 })).toEqual([
      badParam('steps', 'expected an integer in [1, 1000]'),
    ]);
    expect(paramIssues('karras-timesteps', { steps: 1001 })).toEqual([
      badParam('steps', 'expected an integer in [1, 1000]'),
    ]);
    expect(paramIssues('karras-timesteps', { rho: 0 })).toEqual([
      badParam('rho', 'expected an exponent ρ in [0.1, 100]'),
    ]);
    expect(paramIssues('karras-timesteps', { sigma_min: 1e-9, sigma_max: 2e6 })).toEqual([
      badParam('sigma_min', 'expected 0 or a noise level σ̃ in [1e-6, 1e6]'),
      badParam('sigma_max', 'expected 0 or a noise level σ̃ in [1e-6, 1e6]'),
    ]);
    // A range that only the schedule can show to be empty is the run's to report, clearly.
    const beyond = makeTestContext(karrasNode.params.parse({ sigma_min: 100 }));
    await expect(async () => karrasNode.run({ schedule: edm }, beyond)).rejects.toThrow(
      'the noise range is empty: sigma_max = 80 (the "edm" schedule\'s σ̃(t_max), as param ' +
        '"sigma_max" is 0) must be greater than sigma_min = 100',
    );
  });

  it('exponential, polyexponential and kl-optimal nodes take the schedule’s σ̃ range', async () => {
    const onEdm = (
      await exponentialNode.run(
        { schedule: edm },
        makeTestContext(exponentialNode.params.parse({ steps: 5 })),
      )
    ).timesteps;
    expect(Array.from(onEdm.sigmaTilde)).toEqual(Array.from(exponentialSigmas(5, 0.002, 80)));
    expect(Array.from(onEdm.t)).toEqual(Array.from(onEdm.sigmaTilde));
    const poly = (
      await polyexponentialNode.run(
        { schedule: vp },
        makeTestContext(polyexponentialNode.params.parse({ steps: 4, rho: 3 })),
      )
    ).timesteps;
    expect(poly.t[0]).toBeCloseTo(1, 12);
    expect(poly.t[3]).toBeCloseTo(1e-3, 12);
    expect(poly.sigmaTilde[4]).toBe(0);
    expect(polyexponentialNode.params.parse({}).rho).toBe(1);
    const kl = (
      await klOptimalNode.run(
        { schedule: rf },
        makeTestContext(klOptimalNode.params.parse({ steps: 3, sigma_min: 0.01, sigma_max: 50 })),
      )
    ).timesteps;
    expect(Array.from(kl.sigmaTilde)).toEqual(Array.from(klOptimalSigmas(3, 0.01, 50)));
    const bad = makeTestContext(exponentialNode.params.parse({ sigma_min: 100 }));
    await expect(async () => exponentialNode.run({ schedule: edm }, bad)).rejects.toThrow(
      /sigma_max = 80 .* must be greater than sigma_min = 100/,
    );
    expect(paramIssues('polyexponential-timesteps', { rho: -1 })).toEqual([
      badParam('rho', 'expected an exponent ρ in [0.1, 100]'),
    ]);
    expect(paramIssues('kl-optimal-timesteps', { sigma_min: 5, sigma_max: 5 })).toEqual([
      badParam('sigma_max', 'must be greater than sigma_min = 5 (got 5)'),
    ]);
  });

  it('uniform-timesteps spans the schedule’s own time range by default', async () => {
    const params = uniformNode.params.parse({});
    expect(params).toEqual({ steps: 20, t_min: 0, t_max: 0, spacing: 'linspace', steps_offset: 0 });
    const onVp = (await uniformNode.run({ schedule: vp }, makeTestContext(params))).timesteps;
    expect(onVp.t.length).toBe(21);
    expect(onVp.t[0]).toBe(1);
    expect(onVp.t[19]).toBe(1e-3);
    expect(onVp.t[20]).toBe(0);
    expect(onVp.sigmaTilde[20]).toBe(0);
    expect(onVp.t[10]! - onVp.t[11]!).toBeCloseTo((1 - 1e-3) / 19, 12);
    const onRf = (await uniformNode.run({ schedule: rf }, makeTestContext(params))).timesteps;
    expect(onRf.sigmaTilde[0]).toBeCloseTo(999, 9);
    const custom = makeTestContext(uniformNode.params.parse({ steps: 2, t_min: 0.5, t_max: 0.9 }));
    const explicit = (await uniformNode.run({ schedule: rf }, custom)).timesteps;
    expect(Array.from(explicit.t)).toEqual([0.9, 0.5, 0]);
    expect(paramIssues('uniform-timesteps', { t_min: 0.9, t_max: 0.5 })).toEqual([
      badParam('t_max', 'must be greater than t_min = 0.9 (got 0.5)'),
    ]);
    expect(paramIssues('uniform-timesteps', { t_min: -1 })).toEqual([
      badParam('t_min', 'expected a time in [0, 1e6]'),
    ]);
    // Which times a schedule has is known only when it arrives.
    const late = makeTestContext(uniformNode.params.parse({ t_max: 1 }));
    await expect(async () => uniformNode.run({ schedule: rf }, late)).rejects.toThrow(
      'param "t_max" = 1 gives the noise level σ̃ = Infinity on the "rectified-flow" schedule',
    );
    const empty = makeTestContext(uniformNode.params.parse({ t_min: 0.9999 }));
    await expect(async () => uniformNode.run({ schedule: rf }, empty)).rejects.toThrow(
      'the time range is empty: t_max = 0.999 must be greater than t_min = 0.9999',
    );
  });
});
