// Params shared by the timesteps nodes (graph-nodes/nodes/timesteps/), and the rule that 0 means
// "the schedule's own" for a noise range.
import type { Schedule } from '../core/values';
import {
  noiseLevelOrZero,
  numberIn,
  PARAM_LIMITS,
  requireAbove,
  spacingExponent,
  type ReportParamProblem,
} from '../nodes/param-rules';

export function stepsParam() {
  return numberIn(1, PARAM_LIMITS.steps, { integer: true }).default(20).meta({
    title: 'Steps',
    widget: 'slider',
    step: 1,
    // Log scale: 5, 10, 20, 50 are as far apart as users compare them.
    scale: 'log',
    sliderMin: 1,
    sliderMax: 200,
    description: 'Number of solver steps n.',
  });
}

export function sigmaMinParam() {
  return noiseLevelOrZero().default(0).meta({
    title: 'σ_min',
    widget: 'number',
    description: 'Last non-zero noise level (at least 1e-6); 0 = the schedule’s σ̃(t_min).',
  });
}

export function sigmaMaxParam() {
  return noiseLevelOrZero().default(0).meta({
    title: 'σ_max',
    widget: 'number',
    description: 'First noise level, above σ_min; 0 = the schedule’s σ̃(t_max).',
  });
}

/** ρ of Karras-style spacing (σ̃^(1/ρ) evenly spaced, or a ramp bent by the power ρ). */
export function rhoParam(
  defaultRho: number,
  description: string,
  widget: 'slider' | 'number' = 'number',
) {
  return spacingExponent()
    .default(defaultRho)
    .meta({ title: 'ρ', widget, step: 0.1, sliderMin: 1, sliderMax: 10, description });
}

/** When both ends are set, σ_max must be above σ_min (0 takes the schedule's end, known later). */
export function checkSigmaRange(
  params: { readonly sigma_min: number; readonly sigma_max: number },
  report: ReportParamProblem,
): void {
  if (params.sigma_min !== 0 && params.sigma_max !== 0) {
    requireAbove(params, 'sigma_max', 'sigma_min', report);
  }
}

/**
 * The σ̃ range from params "sigma_min" / "sigma_max", where 0 takes the schedule's end. The
 * params are valid on their own (the compiler checked them); whether they fit the schedule they
 * are given is known only now.
 */
export function resolveSigmaRange(
  schedule: Schedule,
  sigmaMinParam: number,
  sigmaMaxParam: number,
): { sigmaMin: number; sigmaMax: number } {
  const sigmaMin = sigmaMinParam === 0 ? schedule.sigmaTilde(schedule.tMin) : sigmaMinParam;
  const sigmaMax = sigmaMaxParam === 0 ? schedule.sigmaTilde(schedule.tMax) : sigmaMaxParam;
  const describe = (name: string, value: number, param: number, end: string) =>
    param === 0
      ? `${name} = ${value} (the "${schedule.name}" schedule's σ̃(${end}), as param "${name}" is 0)`
      : `${name} = ${value}`;
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin && Number.isFinite(sigmaMax))) {
    throw new Error(
      `the noise range is empty: ${describe('sigma_max', sigmaMax, sigmaMaxParam, 't_max')} ` +
        `must be greater than ${describe('sigma_min', sigmaMin, sigmaMinParam, 't_min')}`,
    );
  }
  return { sigmaMin, sigmaMax };
}
