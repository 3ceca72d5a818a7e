// Entropic optimal transport between two point clouds: the static Schrödinger bridge (reference §9).
import { z } from 'zod';
import { agreedShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import type { Samples } from '../../core/values';
import { entropicCoupling } from '../../transport/couplings';
import { numberIn } from '../param-rules';
import { bridgeReference, pointClouds, referenceParams } from './transport-params';

/**
 * The last solution per source value, so that a re-run at a nearby ε (the slider) starts from its
 * potentials. Keyed weakly on the input value: a new source (or target) starts cold.
 */
interface WarmStart {
  readonly target: Samples;
  readonly referenceKey: string;
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly epsilon: number;
  readonly relaxation: number;
}
const warmStarts = new WeakMap<Samples, WarmStart>();

export default defineNode({
  type: 'entropic-ot',
  version: 1,
  kind: 'transport',
  title: 'Entropic OT (Sinkhorn)',
  description:
    'The entropic optimal-transport plan between two point clouds (uniform weights): the ' +
    'coupling π that minimises transport cost plus ε times its KL divergence from the ' +
    'independent coupling, which is the static Schrödinger bridge of the reference process. ' +
    'Solved by log-domain Sinkhorn in float64 (ε-scaling, warm-started from the last run) until ' +
    'both marginals hold to the tolerance. ε → 0 approaches the exact OT plan, ε → ∞ the ' +
    'independent coupling μ⊗ν.',
  section: 'reference §9 (Schrödinger bridge = entropic OT); book §7 (SB view)',
  formula:
    'min_π ⟨π, c⟩ + ε KL(π ‖ μ⊗ν),  c = ½‖x − y‖²;  π_ij = a_i b_j e^{(f_i + g_j − c_ij)/ε};  ' +
    'f_i = −ε LSE_j(log b_j + (g_j − c_ij)/ε),  g_j = −ε LSE_i(log a_i + (f_i − c_ij)/ε)',
  inputs: {
    source: {
      accepts: ['samples', 'dataset'],
      required: true,
      description: 'The points μ starts from (t = 0), [n, ...S].',
    },
    target: {
      accepts: ['samples', 'dataset'],
      required: true,
      description: 'The points ν ends at (t = 1), [m, ...S], the same per-point shape S.',
    },
  },
  outputs: {
    plan: {
      type: 'coupling',
      description:
        'The plan π [n, m] (sums to 1) with its values: transport_cost ⟨π, c⟩, ' +
        'entropic_objective, dual_objective (Σ a_i f_i + Σ b_j g_j), duality_gap, entropy, kl, ' +
        'iterations, marginal_error, f_range, g_range (the potentials’ spreads); and the ' +
        'potentials f, g themselves (the dock colours the points by them). ' +
        '`--save id.plan=F.npy` writes π as float64.',
    },
    coupling: {
      type: 'coupling',
      description: 'The same coupling, for the Schrödinger-bridge node.',
    },
  },
  params: z.object({
    epsilon: numberIn(1e-6, 1e6, { what: 'a regularisation ε' })
      .default(0.1)
      .meta({
        title: 'ε',
        widget: 'slider',
        scale: 'log',
        sliderMin: 1e-3,
        sliderMax: 10,
        description:
          'Entropic regularisation (units of the cost): the bridge’s noise. Small: near the ' +
          'exact OT plan; large: near the independent coupling.',
      }),
    ...referenceParams,
    max_iterations: numberIn(1, 1_000_000, { integer: true }).default(20_000).meta({
      title: 'Max iterations',
      widget: 'number',
      description: 'Sinkhorn iterations over all ε stages before the run is refused.',
    }),
    tolerance: numberIn(1e-14, 1e-2).default(1e-9).meta({
      title: 'Tolerance',
      widget: 'number',
      description: 'Both marginals must hold to this, in L1 (Σ_i |π_i· − a_i|).',
    }),
  }),
  facts(_params, inputs) {
    const shape = agreedShape(inputs, ['source', 'target']);
    return shape ? { plan: { shape }, coupling: { shape } } : {};
  },
  async run(inputs, ctx) {
    const { epsilon, max_iterations, tolerance } = ctx.params;
    const reference = bridgeReference(ctx.params);
    const referenceKey = JSON.stringify(reference);
    const clouds = await pointClouds(inputs.source, inputs.target);
    const previous = warmStarts.get(inputs.source);
    const warm =
      previous &&
      previous.target === inputs.target &&
      previous.referenceKey === referenceKey &&
      previous.f.length * clouds.dim === clouds.source.length &&
      previous.g.length * clouds.dim === clouds.target.length
        ? previous
        : undefined;
    const coupling = await entropicCoupling(clouds, reference, {
      epsilon,
      tolerance,
      maxIterations: max_iterations,
      warmStart: warm,
      checkpoint: () => ctx.checkpoint(),
    });
    warmStarts.set(inputs.source, {
      target: inputs.target,
      referenceKey,
      f: coupling.f!,
      g: coupling.g!,
      epsilon,
      relaxation: coupling.relaxation,
    });
    return { plan: coupling, coupling };
  },
});
