// Trajectories of a teacher denoiser's PF-ODE, computed once before a flow map is distilled from
// it (reference §6, "distilling from a teacher ODE on 2-D toy data"): M starting points
// x̃ ~ N(0, σ_max² I) carried by Heun (the shared solver loop) down a Karras grid
// σ_0 = σ_max > … > σ_{N−1} = ε, then onto 0 (x̃ = D there: the teacher's sample). Every pair of
// levels on one trajectory is an exact (to Heun's accuracy) teacher jump, and D at every level is
// the teacher's velocity; the trainers draw their batches from it.
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import { yieldToEventLoop } from '../core/yield';
import { createRng } from '../math/rng';
import { edmSchedule } from '../schedules/edm';
import { heun } from '../solvers/heun';
import { solve } from '../solvers/loop';
import { timestepsFromSigmas } from '../timesteps/from-sigmas';
import { karrasSigmas } from '../timesteps/karras';

export interface TeacherBankSettings {
  readonly trajectories: number;
  /** Positive levels N on the grid (the grid has N + 1 entries with the final 0). */
  readonly levels: number;
  readonly epsilon: number;
  readonly sigmaMax: number;
  readonly seed: number;
}

export interface TeacherBank {
  readonly count: number;
  readonly dim: number;
  /** σ_0 > … > σ_{N−1} = ε > σ_N = 0. */
  readonly sigmas: Float64Array;
  /** x̃ at each level, [count, dim] row-major; states[N] is the teacher's sample. */
  readonly states: readonly Float32Array[];
  /** D(x̃_k; σ_k) for k < N. */
  readonly denoised: readonly Float32Array[];
}

export async function buildTeacherBank(
  teacher: Denoiser,
  settings: TeacherBankSettings,
  onNfe?: (count: number) => void,
): Promise<TeacherBank> {
  const { trajectories: count, levels, epsilon, sigmaMax } = settings;
  const dim = teacher.dim;
  const schedule = edmSchedule({ sigmaMin: epsilon, sigmaMax });
  const timesteps = timestepsFromSigmas(schedule, karrasSigmas(levels, epsilon, sigmaMax, 7));
  // A stream of its own, so the bank does not repeat the network's initial-weight draws.
  const start = createRng(settings.seed ^ 0x7eac4e5).fillNormal(new Float32Array(count * dim));
  const x = tf.tensor2d(
    start.map((z) => sigmaMax * z),
    [count, dim],
  );
  try {
    const { samples, trajectory } = await solve({
      algorithm: heun,
      denoiser: teacher,
      timesteps,
      x,
      hooks: {
        checkpoint: yieldToEventLoop,
        progress: () => {},
        frame: () => {},
        addNfe: (n) => onNfe?.(n),
      },
    });
    samples.dispose();
    const frames = trajectory.frames;
    return {
      count,
      dim,
      sigmas: timesteps.sigmaTilde,
      states: frames.map((frame) => frame.x),
      // The prediction made during step k (stored on frame k + 1) is D at level k.
      denoised: frames.slice(1).map((frame) => frame.x0hat!),
    };
  } finally {
    x.dispose();
  }
}
