// The exact teacher flow map of any denoiser: Ψ_{σ̃→σ̃'}(x̃) by integrating the PF-ODE
// dx̃/dσ̃ = (x̃ − D(x̃; σ̃))/σ̃ with adaptive Dormand–Prince (rk45, the reference solver) through the
// shared solver loop. A jump to σ̃' = 0 integrates to σ̃_end and returns D there, exactly as every
// sampler here ends (the ODE is singular at 0).
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser, FlowMap, Timesteps } from '../core/values';
import { yieldToEventLoop } from '../core/yield';
import { edmSchedule } from '../schedules/edm';
import { solve } from '../solvers/loop';
import { rk45 } from '../solvers/rk45';
import { checkLevels } from './gaussian';

export interface TeacherFlowMapOptions {
  readonly rtol: number;
  readonly atol: number;
  /** Where a jump to 0 stops integrating and denoises. */
  readonly sigmaEnd: number;
}

// σ̃ is the time on EDM: the schedule only labels the levels; rk45 never reads α.
const LEVELS = edmSchedule({ sigmaMin: 1e-12, sigmaMax: 1e12 });

export function createTeacherFlowMap(denoiser: Denoiser, options: TeacherFlowMapOptions): FlowMap {
  return {
    dim: denoiser.dim,
    async map(xTilde: Tensor2D, sigmaFrom: number, sigmaTo: number, countNfe) {
      checkLevels(sigmaFrom, sigmaTo);
      const levels =
        sigmaTo > 0
          ? [sigmaFrom, sigmaTo]
          : [Math.max(sigmaFrom, options.sigmaEnd), options.sigmaEnd, 0];
      const sigmas = Float64Array.from(levels.filter((s, k) => k === 0 || s < levels[k - 1]!));
      const timesteps: Timesteps = { schedule: LEVELS, sigmaTilde: sigmas, t: sigmas };
      const { samples } = await solve({
        algorithm: rk45,
        denoiser,
        timesteps,
        x: xTilde,
        settings: { rtol: options.rtol, atol: options.atol },
        hooks: {
          checkpoint: yieldToEventLoop,
          progress: () => {},
          frame: () => {},
          addNfe: (count) => countNfe?.(count),
        },
      });
      return samples;
    },
    dispose() {
      // The denoiser belongs to its own node.
    },
  };
}
