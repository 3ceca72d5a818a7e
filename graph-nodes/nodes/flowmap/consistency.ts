// Consistency model (learned): a learned flow map, trained from a teacher (Train / principia train) and loaded from
// its weights file when the graph runs.
import { defineNode } from '../../core/node-definition';
import { createLearnedFlowMap } from '../../flowmaps/learned';
import { learnedFlowMapParams, teacherInput } from '../../flowmaps/node-params';
import { loadTrainedWeights } from '../../neural/load-trained';
import { checkNetworkMatches } from '../../neural/training-params';

export default defineNode({
  type: 'consistency-flowmap',
  version: 1,
  kind: 'flowmap',
  title: 'Consistency model (learned)',
  description:
    "A consistency model f(x̃, σ) distilled from a teacher denoiser in the app: consistency distillation on the teacher's Heun trajectories with a stop-gradient target (iCT). It maps any level straight to the data end; sample it in one jump or several with γ = 1 (multistep consistency sampling).",
  section: 'book §11.2 (consistency models), reference §6',
  formula:
    'f(x̃, σ) = c_skip(σ) x̃ + c_out(σ) F(c_in x̃, ln σ/4);  loss ‖f_θ(x̃_k, σ_k) − sg f_θ(x̃_{k+1}, σ_{k+1})‖²',
  inputs: teacherInput,
  outputs: { flowmap: { type: 'flowmap', description: 'The learned Ψ_{σ→σ′}.' } },
  params: learnedFlowMapParams('weights/consistency.json'),
  async run(_inputs, ctx) {
    const p = ctx.params;
    const model = await loadTrainedWeights(ctx.files, p.weights, 'consistency-flowmap', ctx.nodeId);
    checkNetworkMatches(p, model.architecture, p.weights);
    return { flowmap: createLearnedFlowMap(model) };
  },
});
