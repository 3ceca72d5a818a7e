// The exact denoiser of a data set taken as a Dirac mixture, as a node.
import { z } from 'zod';
import { shapeOf } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { withShape } from '../../core/values';
import { createEmpiricalDenoiser } from '../../denoisers/empirical';

export default defineNode({
  type: 'empirical-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'Empirical denoiser (exact)',
  description:
    'The exact posterior mean when the data distribution is the data set itself (equal weight on ' +
    'each point). As σ̃ → 0 it returns the nearest data point: this is the memorising optimum.',
  section: '§7 of the reference / book §6.3 (Dirac mixture oracle)',
  formula: 'r = softmax_i(−‖x̃ − y_i‖²/(2σ̃²));  D = Σ_i r_i y_i',
  inputs: {
    data: {
      accepts: ['dataset', 'samples'],
      required: true,
      description: 'The points y_i that make up the target distribution (not copied; not freed).',
    },
  },
  outputs: {
    denoiser: { type: 'denoiser', description: 'D(x̃; σ̃) = E[x₀ | x̃] for the data set.' },
  },
  params: z.object({}),
  facts: (_params, inputs) => ({ denoiser: shapeOf(inputs.data) }),
  run(inputs) {
    return {
      denoiser: withShape(createEmpiricalDenoiser(inputs.data.points), inputs.data.shape),
    };
  },
});
