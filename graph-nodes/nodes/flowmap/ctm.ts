// Consistency trajectory model (learned): a learned flow map, trained from a teacher (Train / principia train) and loaded from
// its weights file when the graph runs.
import { defineNode } from '../../core/node-definition';
import { createLearnedFlowMap } from '../../flowmaps/learned';
import { learnedFlowMapParams, teacherInput } from '../../flowmaps/node-params';
import { loadTrainedWeights } from '../../neural/load-trained';
import { checkNetworkMatches } from '../../neural/training-params';

export default defineNode({
  type: 'ctm-flowmap',
  version: 1,
  kind: 'flowmap',
  title: 'Consistency trajectory model (learned)',
  description:
    "A CTM flow map G(x̃, σ, σ′) that jumps between any two levels, distilled from a teacher denoiser: regression onto the teacher's PF-ODE trajectories, with the inner denoiser g(x̃, σ, σ) trained onto the teacher's D. Sample it with any γ (CTM γ-sampling).",
  section: 'book §11.4 (CTM), reference §6',
  formula: 'G(x̃, σ, σ′) = (σ′/σ) x̃ + (1 − σ′/σ) g(x̃, σ, σ′);  loss ‖G_θ(x̃_σ, σ, σ′) − Ψ_teacher‖²',
  inputs: teacherInput,
  outputs: { flowmap: { type: 'flowmap', description: 'The learned Ψ_{σ→σ′}.' } },
  params: learnedFlowMapParams('weights/ctm.json'),
  async run(_inputs, ctx) {
    const p = ctx.params;
    const model = await loadTrainedWeights(ctx.files, p.weights, 'ctm-flowmap', ctx.nodeId);
    checkNetworkMatches(p, model.architecture, p.weights);
    return { flowmap: createLearnedFlowMap(model) };
  },
});
