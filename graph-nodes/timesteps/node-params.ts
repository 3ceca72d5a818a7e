// Params shared by the timesteps nodes (graph-nodes/nodes/timesteps/), and the rule that 0 means
// "the schedule's own" for a noise range.
import { z } from 'zod';
import type { Schedule } from '../core/values';

export function stepsParam() {
  return z.number().int().min(1).max(1000).default(20).meta({
    title: 'Steps',
    widget: 'slider',
    step: 1,
    description: 'Number of solver steps n.',
  });
}

export function sigmaMinParam() {
  return z.number().default(0).meta({
    title: 'σ_min',
    widget: 'number',
    description: 'Last non-zero noise level; 0 = the schedule’s σ̃(t_min).',
  });
}

export function sigmaMaxParam() {
  return z.number().default(0).meta({
    title: 'σ_max',
    widget: 'number',
    description: 'First noise level; 0 = the schedule’s σ̃(t_max).',
  });
}

/** The σ̃ range from params "sigma_min" / "sigma_max", where 0 takes the schedule's end. */
export function resolveSigmaRange(
  schedule: Schedule,
  sigmaMinParam: number,
  sigmaMaxParam: number,
): { sigmaMin: number; sigmaMax: number } {
  const sigmaMin = sigmaMinParam === 0 ? schedule.sigmaTilde(schedule.tMin) : sigmaMinParam;
  const sigmaMax = sigmaMaxParam === 0 ? schedule.sigmaTilde(schedule.tMax) : sigmaMaxParam;
  if (!(sigmaMin > 0) || !Number.isFinite(sigmaMin)) {
    throw new Error(`param "sigma_min" must be > 0, or 0 for the schedule’s own (got ${sigmaMin})`);
  }
  if (!(sigmaMax > sigmaMin) || !Number.isFinite(sigmaMax)) {
    throw new Error(
      `param "sigma_max" (${sigmaMax}) must be finite and greater than sigma_min (${sigmaMin})`,
    );
  }
  return { sigmaMin, sigmaMax };
}
