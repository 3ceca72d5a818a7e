// ComfyUI's "normal" and "sgm_uniform" schedulers: times evenly spaced in the model clock
// (./time-table.ts) from the noise end t_max towards the data end t_min.
//   normal:       N points, t_max … t_min
//   sgm_uniform:  N + 1 points, t_max … t_min, the last (t_min) dropped
// (diffusers' DPM-Solver/UniPC/DEIS "linspace" is sgm_uniform over the table indices, unrounded
// here.) Each time then gets its σ̃ from the schedule, and σ̃ = 0 follows.
import type { Schedule } from '../core/values';
import { modelClock } from './time-table';

export const CLOCK_UNIFORM_VARIANTS = ['sgm_uniform', 'normal'] as const;
export type ClockUniformVariant = (typeof CLOCK_UNIFORM_VARIANTS)[number];

/** Descending times over the schedule's [t_min, t_max]. */
export function clockUniformTimes(
  schedule: Schedule,
  steps: number,
  variant: ClockUniformVariant,
): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`${variant} scheduler: steps must be an integer ≥ 1 (got ${steps})`);
  }
  const clock = modelClock(schedule);
  const start = clock.toClock(schedule.tMax);
  const end = clock.toClock(schedule.tMin);
  const intervals = variant === 'sgm_uniform' ? steps : steps - 1;
  return Float64Array.from({ length: steps }, (_, k) => {
    if (k === 0) return schedule.tMax;
    if (k === intervals) return schedule.tMin;
    return clock.fromClock(start + (k / intervals) * (end - start));
  });
}
