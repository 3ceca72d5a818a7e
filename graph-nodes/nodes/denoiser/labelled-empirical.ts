// The exact class-conditional denoiser of a labelled data set, as a node.
import { z } from 'zod';
import { shapeOf } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { withShape } from '../../core/values';
import {
  ALL_CLASSES,
  createLabelledEmpiricalDenoiser,
  missingClassProblem,
} from '../../denoisers/labelled';
import { classParam } from './mixture-params';

export default defineNode({
  type: 'labelled-empirical-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'Labelled empirical denoiser (exact, per class)',
  description:
    'The exact denoiser of the data points with one label, taken as a Dirac mixture. Class ' +
    `${ALL_CLASSES} uses every point (the unconditional denoiser).`,
  section: '§8.3 (conditional denoisers), reference §7 (class-conditional)',
  formula: 'r = softmax over {i : c_i = c} of −‖x̃ − y_i‖²/(2σ̃²);  D_c = Σ r_i y_i',
  inputs: {
    data: {
      accepts: ['dataset', 'samples'],
      required: true,
      description: 'Labelled points y_i with labels c_i (not freed).',
    },
  },
  outputs: {
    denoiser: { type: 'denoiser', description: 'D_c(x̃; σ̃) = E[x₀ | x̃, c] for the data set.' },
  },
  params: z.object({ class: classParam('points') }),
  facts: (_params, inputs) => ({ denoiser: shapeOf(inputs.data) }),
  run(inputs, ctx) {
    const { labels } = inputs.data;
    if (!labels) {
      throw new Error(
        'input "data" carries no labels; connect a labelled data set, or use the plain ' +
          'empirical denoiser',
      );
    }
    // Which labels the data carries is known only now, so this check cannot be the compiler's.
    const problem = missingClassProblem(labels, ctx.params.class, 'data point');
    if (problem) throw new Error(`param "class": in input "data", ${problem}`);
    const denoiser = createLabelledEmpiricalDenoiser(inputs.data.points, labels, ctx.params.class);
    return { denoiser: withShape(denoiser, inputs.data.shape) };
  },
});
