// Builds the Timesteps value (σ̃ list and matching schedule times) that solvers consume.
// The list always ends with σ̃ = 0, where solvers return D instead of taking an ODE step.
import type { Schedule, Timesteps } from '../core/values';

/**
 * The schedule time at zero noise: tOfSigmaTilde(0) (0 for EDM, VP and rectified flow). A
 * schedule that never reaches σ = 0 (VE: t → −∞) gets its data-end time instead, kept no later
 * than the last real step so that t stays non-increasing. Solvers never evaluate anything at it.
 */
function timeAtZeroNoise(schedule: Schedule, lastTime: number | undefined): number {
  const t = schedule.tOfSigmaTilde(0);
  if (Number.isFinite(t)) return t;
  return Math.min(schedule.tMin, lastTime ?? schedule.tMin);
}

function checkDescendingPositive(values: Float64Array, what: string): void {
  if (values.length === 0) throw new Error(`timesteps: the ${what} list is empty`);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`timesteps: ${what}[${i}] = ${value} is not a finite number ≥ 0`);
    }
    if (i > 0 && !(value < values[i - 1]!)) {
      throw new Error(
        `timesteps: the ${what} list must be strictly descending, but ${what}[${i}] = ${value} ` +
          `follows ${what}[${i - 1}] = ${values[i - 1]}`,
      );
    }
  }
}

/**
 * Timesteps from descending noise levels σ̃_0 > … > 0. A trailing 0 is appended when absent;
 * zero is only allowed as the last entry (strict descent enforces it).
 */
export function timestepsFromSigmas(schedule: Schedule, sigmaTilde: Float64Array): Timesteps {
  checkDescendingPositive(sigmaTilde, 'sigma');
  const endsAtZero = sigmaTilde[sigmaTilde.length - 1] === 0;
  if (endsAtZero && sigmaTilde.length === 1) {
    throw new Error('timesteps: the sigma list has no positive noise level before the final 0');
  }
  const sigmas = new Float64Array(endsAtZero ? sigmaTilde.length : sigmaTilde.length + 1);
  sigmas.set(sigmaTilde); // an appended entry stays 0
  const times = new Float64Array(sigmas.length);
  const last = sigmas.length - 1;
  for (let i = 0; i < last; i++) {
    const t = schedule.tOfSigmaTilde(sigmas[i]!);
    if (!Number.isFinite(t)) {
      throw new Error(
        `timesteps: sigma[${i}] = ${sigmas[i]} has no finite time on the "${schedule.name}" schedule`,
      );
    }
    times[i] = t;
  }
  times[last] = timeAtZeroNoise(schedule, last > 0 ? times[last - 1] : undefined);
  return { schedule, sigmaTilde: sigmas, t: times };
}

/**
 * Timesteps from descending schedule times t_0 > … (each mapped through σ̃(t)), followed by σ̃ = 0.
 * A last time whose σ̃ is already 0 (t = 0 on EDM, VP or rectified flow) is kept as the final entry.
 */
export function timestepsFromTimes(schedule: Schedule, t: Float64Array): Timesteps {
  checkDescendingPositive(t, 't');
  const sigmaTilde = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    sigmaTilde[i] = schedule.sigmaTilde(t[i]!);
  }
  checkDescendingPositive(sigmaTilde, 'sigma (σ̃ of the given times)');
  const result = timestepsFromSigmas(schedule, sigmaTilde);
  // Keep the caller's times exactly rather than their round trip through σ̃.
  result.t.set(t);
  return result;
}
