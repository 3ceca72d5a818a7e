// The table of noise levels that ComfyUI's schedulers (simple, ddim_uniform, beta, normal,
// sgm_uniform) pick from or space over, for any schedule.
//
// A discrete schedule brings its own table (schedule.discreteSigmas, at t = 0 … T − 1). A
// continuous one is tabulated here at CONTINUOUS_TABLE_SIZE times evenly spaced in its model
// clock from t_min to t_max. The model clock is the time ComfyUI spaces a model in: the
// schedule's own t (the table index for DDPM, t for flow models, whose ComfyUI table is σ(i/1000)),
// except for EDM, whose t is σ itself while its model time is c_noise = ¼ ln σ; ComfyUI's EDM table
// (ModelSamplingContinuousEDM) and its normal/sgm_uniform grids are therefore log-uniform in σ.
import type { Schedule } from '../core/values';

export const CONTINUOUS_TABLE_SIZE = 1000;

export interface ModelClock {
  toClock(t: number): number;
  fromClock(clock: number): number;
}

const OWN_TIME: ModelClock = { toClock: (t) => t, fromClock: (clock) => clock };
const LOG_TIME: ModelClock = { toClock: Math.log, fromClock: Math.exp };

export function modelClock(schedule: Schedule): ModelClock {
  return schedule.name === 'edm' ? LOG_TIME : OWN_TIME;
}

/** Ascending times and their noise levels σ̃(times[i]) = sigmas[i]. */
export interface TimeTable {
  readonly times: Float64Array;
  readonly sigmas: Float64Array;
}

/** `count` times from t_min to t_max (both exact), evenly spaced in the schedule's model clock. */
export function clockSpacedTimes(schedule: Schedule, count: number): Float64Array {
  const clock = modelClock(schedule);
  const first = clock.toClock(schedule.tMin);
  const last = clock.toClock(schedule.tMax);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    times[i] = clock.fromClock(first + (i / (count - 1)) * (last - first));
  }
  times[0] = schedule.tMin;
  times[count - 1] = schedule.tMax;
  return times;
}

export function timeTable(schedule: Schedule): TimeTable {
  const table = schedule.discreteSigmas;
  if (table) {
    return { times: Float64Array.from(table, (_, i) => i), sigmas: Float64Array.from(table) };
  }
  const times = clockSpacedTimes(schedule, CONTINUOUS_TABLE_SIZE);
  return { times, sigmas: times.map((t) => schedule.sigmaTilde(t)) };
}

/** table.times at the given indices, in the given (descending) order. */
export function timesAt(table: TimeTable, indices: readonly number[]): Float64Array {
  return Float64Array.from(indices, (index) => {
    const t = table.times[index];
    if (t === undefined) throw new Error(`time table: index ${index} is outside the table`);
    return t;
  });
}
