// The rule every schedule node adds to its params: the schedule its params make must be usable by
// every timesteps node and solver, i.e. its noise levels σ̃ over [t_min, t_max] lie within the
// limits a graph may use (PARAM_LIMITS). Field ranges cannot say this alone: a VP β_max of 100 or
// a DDPM table of 100000 steps is fine on its own and still gives σ̃ = 1e21 at the noise end.
import type { Schedule } from '../../core/values';
import { formatLimit, PARAM_LIMITS, type ReportParamProblem } from '../param-rules';

/** Four significant digits, in formatLimit's notation (7.383e10 rather than 73827712042.46). */
const approximately = (value: number): string => formatLimit(Number(value.toPrecision(4)));

export interface NoiseRangeParams {
  /** The param that sets the data end σ̃(t_min), blamed when it is too small. */
  readonly low: string;
  /** The param that sets the noise end σ̃(t_max), blamed when it is too large. */
  readonly high: string;
  /** The param blamed when the schedule cannot be built at all (default: `high`). */
  readonly failure?: string;
}

/**
 * Builds the schedule from valid params and reports, on the param responsible, a noise range
 * outside [minNoiseLevel, maxNoiseLevel], or the reason the schedule cannot be built.
 */
export function checkNoiseRange(
  build: () => Schedule,
  params: NoiseRangeParams,
  report: ReportParamProblem,
): void {
  let schedule: Schedule;
  try {
    schedule = build();
  } catch (error) {
    report([params.failure ?? params.high], error instanceof Error ? error.message : String(error));
    return;
  }
  const { minNoiseLevel, maxNoiseLevel } = PARAM_LIMITS;
  const lowest = schedule.sigmaTilde(schedule.tMin);
  const highest = schedule.sigmaTilde(schedule.tMax);
  if (!(lowest >= minNoiseLevel)) {
    report(
      [params.low],
      `makes the smallest noise level σ̃(t_min) = ${approximately(lowest)}, below ` +
        `${formatLimit(minNoiseLevel)}, ` +
        'the least a graph may use',
    );
  }
  if (!(highest <= maxNoiseLevel)) {
    report(
      [params.high],
      `makes the largest noise level σ̃(t_max) = ${approximately(highest)}, above ` +
        `${formatLimit(maxNoiseLevel)}, ` +
        'the most a graph may use',
    );
  }
}
