// Exact (unregularised) optimal transport: the ε → 0 limit of the entropic plan.
import { z } from 'zod';
import { agreedShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { exactCoupling } from '../../transport/couplings';
import { pointClouds } from './transport-params';

export default defineNode({
  type: 'exact-ot',
  version: 1,
  kind: 'transport',
  title: 'Exact OT',
  description:
    'The optimal-transport plan between two point clouds (uniform weights) under ½‖x − y‖², ' +
    'without regularisation: for n = m an exact assignment (a permutation, each point moved ' +
    'whole), else the network simplex (at most n + m − 1 pairs). The limit of the entropic plan ' +
    'as ε → 0; its bridges are straight lines.',
  section: 'reference §9 (the ε → 0 limit of entropic OT); book §7',
  formula: 'min_π ⟨π, c⟩ over π ≥ 0 with π1 = a, πᵀ1 = b;  c = ½‖x − y‖²',
  inputs: {
    source: {
      accepts: ['samples', 'dataset'],
      required: true,
      description: 'The points μ starts from, [n, ...S].',
    },
    target: {
      accepts: ['samples', 'dataset'],
      required: true,
      description: 'The points ν ends at, [m, ...S].',
    },
  },
  outputs: {
    plan: {
      type: 'coupling',
      description:
        'The plan π [n, m] with transport_cost, entropy and the dual potentials f, g ' +
        '(f_i + g_j ≤ c_ij, equal on the plan’s support).',
    },
    coupling: { type: 'coupling', description: 'The same coupling (ε = 0, Brownian reference).' },
  },
  params: z.object({}),
  facts(_params, inputs) {
    const shape = agreedShape(inputs, ['source', 'target']);
    return shape ? { plan: { shape }, coupling: { shape } } : {};
  },
  async run(inputs) {
    const coupling = exactCoupling(await pointClouds(inputs.source, inputs.target));
    return { plan: coupling, coupling };
  },
});
