// The exact noisy classifier p(c | x̃; σ̃) of a labelled Gaussian mixture, as a node.
import { createGmmClassifier } from '../../classifiers/mixture-classifier';
import { defineNode } from '../../core/node-definition';
import { labelledMixtureSchema, mixtureShape } from '../denoiser/mixture-params';

export default defineNode({
  type: 'exact-classifier',
  version: 1,
  kind: 'guidance',
  title: 'Exact classifier (labelled mixture)',
  description:
    'The posterior probability of each class given a noisy point, for a labelled Gaussian ' +
    'mixture: the responsibilities of that class’s components, summed. Use the same mixture as ' +
    'the labelled denoiser it guides.',
  section: '§8.2 (classifier guidance), reference §7 (class-conditional)',
  formula: 'log p(c | x̃) = logsumexp_{k : c_k = c} ℓ_k − logsumexp_k ℓ_k',
  inputs: {},
  outputs: {
    classifier: {
      type: 'classifier',
      description: 'log p(c | x̃; σ̃) for every label, differentiable in x̃.',
    },
  },
  params: labelledMixtureSchema(),
  facts: (params) => ({ classifier: mixtureShape(params) }),
  // The params schema holds the mixture's rules, so a malformed one never reaches run().
  run: (_inputs, ctx) => ({ classifier: createGmmClassifier(ctx.params) }),
});
