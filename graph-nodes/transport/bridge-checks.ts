// Input checks of the bridge code: a coupling whose arrays match its sizes, and a time grid.

import type { Coupling } from '../core/values';

/** Refuses a coupling whose arrays disagree with its sizes or hold values no bridge can use. */
export function checkCoupling(coupling: Coupling): Coupling {
  const { n, m, dim, source, target, plan, epsilon } = coupling;
  if (![n, m, dim].every((size) => Number.isInteger(size) && size >= 1))
    throw new Error(`The coupling's sizes n = ${n}, m = ${m}, d = ${dim} must be whole and ≥ 1`);
  if (source.length !== n * dim || target.length !== m * dim || plan.length !== n * m)
    throw new Error(
      `The coupling's arrays have ${source.length}, ${target.length}, ${plan.length} numbers; ` +
        `[n, d], [m, d], [n, m] need ${n * dim}, ${m * dim}, ${n * m}`,
    );
  if (!source.every(Number.isFinite) || !target.every(Number.isFinite))
    throw new Error("The coupling's points must be finite");
  if (!plan.every((value) => Number.isFinite(value) && value >= 0))
    throw new Error("The coupling's plan must be finite and ≥ 0");
  if (!plan.some((value) => value > 0))
    throw new Error("The coupling's plan has no positive entry");
  if (coupling.reference.kind === 'brownian' && !(Number.isFinite(epsilon) && epsilon >= 0))
    throw new Error(`The Brownian reference needs a finite ε ≥ 0, got ${epsilon}`);
  return coupling;
}

/** 0 = t_0 < t_1 < … < t_K = 1, K ≥ 1. */
export function checkTimes(times: Float64Array): void {
  if (times.length < 2 || times[0] !== 0 || times[times.length - 1] !== 1)
    throw new Error('Bridge times must run from 0 to 1 with at least two entries');
  for (let k = 1; k < times.length; k++)
    if (!(times[k]! > times[k - 1]!)) throw new Error(`Bridge times must ascend (at index ${k})`);
}
