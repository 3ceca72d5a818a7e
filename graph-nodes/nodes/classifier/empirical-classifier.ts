// The exact noisy classifier p(c | x̃; σ̃) of a labelled data set, as a node.
import { z } from 'zod';
import { createEmpiricalClassifier } from '../../classifiers/mixture-classifier';
import { shapeOf } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { withShape } from '../../core/values';

export default defineNode({
  type: 'empirical-classifier',
  version: 1,
  kind: 'guidance',
  title: 'Exact classifier (labelled data set)',
  description:
    'The posterior probability of each label given a noisy point, when the data distribution is ' +
    'the labelled data set itself: the summed responsibilities of that label’s points.',
  section: '§8.2 (classifier guidance), reference §7 (class-conditional)',
  formula:
    'log p(c | x̃) = logsumexp_{i : c_i = c}(−‖x̃ − y_i‖²/(2σ̃²)) − logsumexp_i(−‖x̃ − y_i‖²/(2σ̃²))',
  inputs: {
    data: {
      accepts: ['dataset', 'samples'],
      required: true,
      description: 'Labelled points y_i with labels c_i (not copied; not freed).',
    },
  },
  outputs: {
    classifier: {
      type: 'classifier',
      description: 'log p(c | x̃; σ̃) for every label, differentiable in x̃.',
    },
  },
  params: z.object({}),
  facts: (_params, inputs) => ({ classifier: shapeOf(inputs.data) }),
  run(inputs) {
    const { points, labels, shape } = inputs.data;
    if (!labels) {
      throw new Error('input "data" carries no labels; connect a labelled data set');
    }
    return { classifier: withShape(createEmpiricalClassifier(points, labels), shape) };
  },
});
