// The exact class-conditional denoiser of a labelled Gaussian mixture, as a node.
import { defineNode } from '../../core/node-definition';
import { ALL_CLASSES, createLabelledGmmDenoiser } from '../../denoisers/labelled';
import { mixtureClassSchema, mixtureShape } from './mixture-params';

export default defineNode({
  type: 'labelled-gmm-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'Labelled Gaussian mixture (exact, per class)',
  description:
    'The exact denoiser of one class of a labelled Gaussian mixture: the mixture of the ' +
    `components with that label. Class ${ALL_CLASSES} gives the unconditional denoiser of the ` +
    'whole mixture. Two of these (a class and all) make exact CFG.',
  section: '§8.3 (conditional denoisers), reference §7 (class-conditional)',
  formula:
    'r = softmax over {k : c_k = c} of ℓ_k;  D_c = Σ_{k : c_k = c} r_k [μ_k + s_k²/(s_k²+σ̃²)(x̃ − μ_k)]',
  inputs: {},
  outputs: {
    denoiser: {
      type: 'denoiser',
      description: 'D_c(x̃; σ̃) = E[x₀ | x̃, c] (or E[x₀ | x̃] for all classes).',
    },
  },
  params: mixtureClassSchema(),
  facts: (params) => ({ denoiser: mixtureShape(params) }),
  // The params schema holds the mixture's rules (class among the labels included).
  run: (_inputs, ctx) => ({
    denoiser: createLabelledGmmDenoiser(ctx.params, ctx.params.class),
  }),
});
