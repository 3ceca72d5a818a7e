// The dynamic Schrödinger bridge of a coupling: paths from the source to the target cloud.
import { z } from 'zod';
import { agreedShape, agreedValueShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { samplesFromArray } from '../../core/samples';
import type { TrajectoryFrame } from '../../core/values';
import { formatBytes, TRAJECTORY_BYTE_LIMIT, trajectoryBytes } from '../../solvers/loop';
import { runBridge } from '../../transport/bridge';
import { numberIn, PARAM_LIMITS, withParamRules } from '../param-rules';

/**
 * Paths × steps a run may take: each particle-step evaluates the posterior over the plan's pairs
 * (~2 µs for a few dozen, more for larger plans), so this is seconds of work, not minutes.
 */
const MAX_PARTICLE_STEPS = 4_000_000;

export default defineNode({
  type: 'schrodinger-bridge',
  version: 1,
  kind: 'transport',
  title: 'Schrödinger bridge',
  description:
    'Moves particles from t = 0 to t = 1 along the Schrödinger bridge of a coupling, relative to ' +
    'its reference process (Brownian √ε dW or VP). bridge: pairs (x₀, x₁) drawn from the plan, ' +
    'each joined by the reference bridge; sde: the Markovian bridge from any start points, its ' +
    'drift in closed form (a mixture of reference bridges weighted by the plan and the ' +
    'likelihood of x_t); ode: its probability-flow ODE, deterministic, with the same marginals. ' +
    'The dock scrubs the paths and shows each particle’s predicted endpoint E[X₁ | X_t].',
  section: 'reference §9 (dynamic Schrödinger bridge, mixture of bridges, Markovian projection)',
  formula:
    'bridge: X_t = (1 − t)x₀ + t x₁ + √(ε t(1 − t)) z,  (x₀, x₁) ~ π;  ' +
    'sde: dX = (E[X₁ | X_t] − X_t)/(1 − t) dt + √ε dW;  ode: dx/dt = b(x, t) − ½ε ∇log p_t(x)',
  inputs: {
    coupling: {
      accepts: ['coupling'],
      required: true,
      description: 'The plan and its reference (from Entropic OT or Exact OT).',
    },
    source: {
      accepts: ['samples', 'dataset'],
      required: false,
      description:
        'Start points for sde and ode (default: the coupling’s own source points); any points ' +
        'of the same shape, not only the ones the plan was solved for. Bridge sampling draws ' +
        'its start points from the plan and does not use it.',
    },
  },
  outputs: {
    samples: { type: 'samples', description: 'The particles at t = 1.' },
    trajectory: {
      type: 'trajectory',
      description: 'The particles at every time, with their predicted endpoints.',
    },
  },
  params: withParamRules(
    z.object({
      mode: z
        .enum(['bridge', 'sde', 'ode'])
        .default('bridge')
        .meta({
          title: 'Dynamics',
          widget: 'select',
          description:
            'bridge: mixture of reference bridges (exact in law); sde: Markovian bridge ' +
            '(Euler–Maruyama or the conditional step); ode: its probability-flow ODE.',
        }),
      steps: numberIn(1, PARAM_LIMITS.steps, { integer: true })
        .default(50)
        .meta({ title: 'Steps', widget: 'number', description: 'Uniform time steps from 0 to 1.' }),
      count: numberIn(1, PARAM_LIMITS.points, { integer: true })
        .default(500)
        .meta({
          title: 'Paths',
          widget: 'number',
          description: 'Number of paths drawn by bridge sampling.',
          visibleWhen: { mode: ['bridge'] },
        }),
      integrator: z
        .enum(['euler', 'conditional'])
        .default('euler')
        .meta({
          title: 'Step rule',
          widget: 'select',
          description:
            'euler: Euler–Maruyama (sde) / Euler (ode) on the closed-form drift; conditional: ' +
            'the exact step of the reference bridge aimed at the predicted endpoint (DDPM / ' +
            'DDIM-like, exact for a single pair).',
          visibleWhen: { mode: ['sde', 'ode'] },
        }),
      seed: z.number().int().default(0).meta({
        title: 'Seed',
        widget: 'seed',
        description: 'Seed of the pairs and of the noise (bridge, sde).',
      }),
    }),
    (p, report) => {
      if (p.mode === 'bridge' && p.count * p.steps > MAX_PARTICLE_STEPS) {
        report(
          ['count'],
          `paths × steps = ${p.count} × ${p.steps} is more than ${MAX_PARTICLE_STEPS}; ` +
            'lower count or steps',
        );
      }
    },
  ),
  facts(_params, inputs) {
    const shape = agreedShape(inputs, ['coupling', 'source']);
    return shape ? { samples: { shape }, trajectory: { shape } } : {};
  },
  async run(inputs, ctx) {
    const { mode, steps, count, integrator, seed } = ctx.params;
    const { coupling } = inputs;
    const shape = agreedValueShape({ coupling, source: inputs.source });
    const start =
      mode === 'bridge'
        ? undefined
        : inputs.source
          ? Float64Array.from((await inputs.source.points.data()) as ArrayLike<number>)
          : coupling.source;
    const particles = start ? start.length / coupling.dim : count;
    if (particles * steps > MAX_PARTICLE_STEPS) {
      throw new Error(
        `${particles} start points × ${steps} steps is more than ${MAX_PARTICLE_STEPS} ` +
          'particle-steps; lower the points of input "source" or param "steps"',
      );
    }
    const needed = trajectoryBytes(steps + 1, particles, coupling.dim);
    if (needed > TRAJECTORY_BYTE_LIMIT) {
      throw new Error(
        `the trajectory would need ${formatBytes(needed)} (${steps + 1} frames × ${particles} ` +
          `paths × ${coupling.dim} dims), more than the ${formatBytes(TRAJECTORY_BYTE_LIMIT)} ` +
          'allowed; lower the number of paths or steps',
      );
    }
    const times = Float64Array.from({ length: steps + 1 }, (_, k) => (k === steps ? 1 : k / steps));
    const frames: TrajectoryFrame[] = [];
    const run = await runBridge(coupling, {
      mode,
      times,
      seed,
      start,
      count,
      integrator,
      checkpoint: () => ctx.checkpoint(),
      onFrame(step, t, x, endpoint) {
        const frame: TrajectoryFrame = {
          step,
          t,
          sigmaTilde: 1 - t,
          alpha: 1,
          x: Float32Array.from(x),
          x0hat: Float32Array.from(endpoint),
        };
        frames.push(frame);
        ctx.frame(frame);
        ctx.progress(step, steps);
      },
    });
    const last = run.frames.at(-1)!;
    return {
      samples: samplesFromArray(last.x, run.count, shape),
      trajectory: { n: run.count, dim: coupling.dim, shape, frames, nfe: 0, kind: 'bridge' },
    };
  },
});
