// Sampling with a flow map in a few jumps, with CTM's γ-sampling (Kim et al. 2023; reference §6):
// on levels t_0 > t_1 > … > t_J = 0, each jump goes from t_n to t̃ = √(1 − γ²) t_{n+1} and then
// adds fresh noise back up to t_{n+1}: x ← Ψ_{t_n→t̃}(x) + √(t_{n+1}² − t̃²) z. γ = 0 gives
// deterministic jumps along the ODE; γ = 1 jumps to the data end and re-noises, which is
// multistep consistency sampling. The last jump lands on 0 with no noise.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { SolverHooks } from '../solvers/loop';
import type { PointShape } from '../core/shapes';
import type { FlowMap, Trajectory, TrajectoryFrame } from '../core/values';
import { createRng } from '../math/rng';

export interface FlowMapSamplingOptions {
  readonly flowMap: FlowMap;
  /** x̃ at levels[0]; never disposed here. */
  readonly x: Tensor2D;
  /** The per-point shape the trajectory records (default: flat, [d]). */
  readonly shape?: PointShape;
  /** t_0 > … > t_J = 0. */
  readonly levels: Float64Array;
  readonly gamma: number;
  readonly seed: number;
  readonly hooks: SolverHooks;
}

export async function sampleWithFlowMap(
  options: FlowMapSamplingOptions,
): Promise<{ samples: Tensor2D; trajectory: Trajectory }> {
  const { flowMap, levels, gamma, hooks } = options;
  const jumps = levels.length - 1;
  if (jumps < 1 || levels[jumps] !== 0) {
    throw new Error('the jump levels must descend to 0 and hold at least one jump');
  }
  if (!(gamma >= 0 && gamma <= 1)) throw new Error(`γ must be in [0, 1] (got ${gamma})`);
  const [n, dim] = options.x.shape;
  if (dim !== flowMap.dim) {
    throw new Error(`the samples have dimension ${dim} but the flow map expects ${flowMap.dim}`);
  }
  const rng = createRng(options.seed);
  const frames: TrajectoryFrame[] = [];
  let nfe = 0;
  const record = async (k: number, x: Tensor2D) => {
    const values = new Float32Array(await x.data<'float32'>());
    const bad = values.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      const where =
        k === 0
          ? 'the starting points'
          : `jump ${k} of ${jumps} (σ̃ ${levels[k - 1]} → ${levels[k]})`;
      throw new Error(
        `${where} gave ${values[bad]} in x̃ (point ${Math.floor(bad / dim)}); check the flow map's weights`,
      );
    }
    const frame: TrajectoryFrame = {
      step: k,
      t: levels[k]!,
      sigmaTilde: levels[k]!,
      alpha: 1,
      x: values,
    };
    frames.push(frame);
    hooks.frame(frame);
  };

  let x = options.x;
  try {
    await record(0, x);
    for (let k = 0; k < jumps; k++) {
      await hooks.checkpoint();
      const next = levels[k + 1]!;
      const last = k === jumps - 1;
      const target = last ? 0 : Math.sqrt(1 - gamma * gamma) * next;
      const jumped = await flowMap.map(x, levels[k]!, target, (count) => {
        nfe += count;
        hooks.addNfe(count);
      });
      if (x !== options.x) x.dispose();
      x = jumped;
      const spread = last ? 0 : Math.sqrt(Math.max(next * next - target * target, 0));
      if (spread > 0) {
        const noise = rng.fillNormal(new Float32Array(n * dim));
        const renoised = tf.tidy(
          () => tf.add(x, tf.mul(tf.tensor2d(noise, [n, dim]), spread)) as Tensor2D,
        );
        x.dispose();
        x = renoised;
      }
      await record(k + 1, x);
      hooks.progress(k + 1, jumps);
    }
  } catch (error) {
    if (x !== options.x) x.dispose();
    throw error;
  }
  const samples = x === options.x ? tf.clone(x) : x;
  return { samples, trajectory: { n, dim, shape: options.shape ?? [dim], frames, nfe } };
}
