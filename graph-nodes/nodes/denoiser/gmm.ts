// The exact denoiser of an isotropic Gaussian mixture, as a node.
import { defineNode } from '../../core/node-definition';
import { createGmmDenoiser } from '../../denoisers/gmm';
import { mixtureSchema, mixtureShape } from './mixture-params';

export default defineNode({
  type: 'gmm-denoiser',
  version: 1,
  kind: 'denoiser',
  title: 'Gaussian-mixture denoiser (exact)',
  description:
    'The exact posterior mean E[x₀ | x̃] for data drawn from Σ π_k N(μ_k, s_k² I): solvers using it ' +
    'have no model error, so what remains is discretisation error. Weights are normalised.',
  section: '§6.3 (exact denoiser / Tweedie), reference §7',
  formula:
    'r = softmax_k(log π_k − ‖x̃−μ_k‖²/(2(s_k²+σ̃²)) − (d/2) log(s_k²+σ̃²));  ' +
    'D = Σ_k r_k [μ_k + s_k²/(s_k²+σ̃²)·(x̃ − μ_k)]',
  inputs: {},
  outputs: {
    denoiser: { type: 'denoiser', description: 'D(x̃; σ̃) = E[x₀ | x̃] for the mixture.' },
  },
  params: mixtureSchema(),
  facts: (params) => ({ denoiser: mixtureShape(params) }),
  // The params schema holds the mixture's rules, so a malformed one never reaches run().
  run: (_inputs, ctx) => ({ denoiser: createGmmDenoiser(ctx.params) }),
});
