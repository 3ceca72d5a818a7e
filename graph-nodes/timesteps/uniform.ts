// Times evenly spaced in the schedule's own clock t (EDM's VP discretisation, diffusers'
// "linspace" spacing in continuous time).

/** `steps` times from tMax down to tMin inclusive (a single step gives [tMax]). */
export function uniformTimes(steps: number, tMin: number, tMax: number): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`uniform times: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (!Number.isFinite(tMin) || !Number.isFinite(tMax) || (steps > 1 && !(tMax > tMin))) {
    throw new Error(`uniform times: need finite tMin < tMax (got tMin = ${tMin}, tMax = ${tMax})`);
  }
  const times = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    times[i] = steps === 1 ? tMax : tMax + (i / (steps - 1)) * (tMin - tMax);
  }
  // Land exactly on the end point rather than one rounding away from it.
  if (steps > 1) times[steps - 1] = tMin;
  return times;
}
