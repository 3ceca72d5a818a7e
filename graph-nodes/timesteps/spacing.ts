// diffusers' timestep spacings (T training steps, N inference steps), descending integer table
// indices, and their analogues in continuous time over [t_min, t_max]:
//   linspace:  round(linspace(0, T − 1, N))            continuous: N points from t_max to t_min
//   leading:   arange(N)·⌊T/N⌋ + steps_offset           continuous: N + 1 points, t_max dropped
//   trailing:  round(arange(T, 0, −T/N)) − 1            continuous: N + 1 points, t_min dropped
// leading never reaches T − 1 (pure noise), which is why zero-terminal-SNR models need trailing
// (reference §8, pitfall 5). Rounding is numpy's (halves to even).
import { roundHalfEven } from './round-half-even';

export const TIMESTEP_SPACINGS = ['linspace', 'leading', 'trailing'] as const;
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];

function checkSteps(what: string, steps: number, most: number): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`${what}: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (steps > most) {
    throw new Error(`${what}: ${steps} steps do not fit in ${most} distinct table entries`);
  }
}

/** round(linspace(first, last, N)) in descending order, over integer table indices first < last. */
export function linspaceTableTimes(steps: number, first: number, last: number): Float64Array {
  checkSteps('linspace spacing', steps, last - first + 1);
  const times = new Float64Array(steps);
  const step = steps === 1 ? 0 : (last - first) / (steps - 1);
  for (let i = 0; i < steps; i++) {
    // numpy's linspace is first + i·step with the end point set exactly
    times[steps - 1 - i] = i === steps - 1 && steps > 1 ? last : roundHalfEven(first + i * step);
  }
  return times;
}

/** arange(N)·⌊T/N⌋ + steps_offset, descending: starts at (N − 1)⌊T/N⌋ + steps_offset < T − 1. */
export function leadingTableTimes(
  steps: number,
  trainSteps: number,
  stepsOffset: number,
): Float64Array {
  checkSteps('leading spacing', steps, trainSteps);
  if (!Number.isInteger(stepsOffset) || stepsOffset < 0) {
    throw new Error(`leading spacing: stepsOffset must be an integer ≥ 0 (got ${stepsOffset})`);
  }
  const ratio = Math.floor(trainSteps / steps);
  const top = (steps - 1) * ratio + stepsOffset;
  if (top > trainSteps - 1) {
    throw new Error(
      `leading spacing: steps_offset ${stepsOffset} puts the first step at ${top}, past the table's last index ${trainSteps - 1}`,
    );
  }
  return Float64Array.from({ length: steps }, (_, k) => (steps - 1 - k) * ratio + stepsOffset);
}

/** round(arange(T, 0, −T/N)) − 1: starts at T − 1 exactly. */
export function trailingTableTimes(steps: number, trainSteps: number): Float64Array {
  checkSteps('trailing spacing', steps, trainSteps);
  const ratio = trainSteps / steps;
  return Float64Array.from({ length: steps }, (_, k) => roundHalfEven(trainSteps - k * ratio) - 1);
}

/** The continuous leading / trailing grids: N + 1 even points over [tMin, tMax] less one end. */
export function spacedTimes(
  spacing: 'leading' | 'trailing',
  steps: number,
  tMin: number,
  tMax: number,
): Float64Array {
  checkSteps(`${spacing} spacing`, steps, Infinity);
  if (!Number.isFinite(tMin) || !Number.isFinite(tMax) || !(tMax > tMin)) {
    throw new Error(
      `${spacing} spacing: need finite tMin < tMax (got tMin = ${tMin}, tMax = ${tMax})`,
    );
  }
  const skipTop = spacing === 'leading' ? 1 : 0;
  return Float64Array.from({ length: steps }, (_, k) => {
    const fromTop = k + skipTop;
    // the grid point N − fromTop of N: land exactly on an end point when it is kept
    if (fromTop === 0) return tMax;
    if (fromTop === steps) return tMin;
    return tMin + ((steps - fromTop) / steps) * (tMax - tMin);
  });
}
