// MeanFlow (learned): a learned flow map, trained from a teacher (Train / principia train) and loaded from
// its weights file when the graph runs.
import { defineNode } from '../../core/node-definition';
import { createLearnedFlowMap } from '../../flowmaps/learned';
import { learnedFlowMapParams, teacherInput } from '../../flowmaps/node-params';
import { loadTrainedWeights } from '../../neural/load-trained';
import { checkNetworkMatches } from '../../neural/training-params';

export default defineNode({
  type: 'meanflow-flowmap',
  version: 1,
  kind: 'flowmap',
  title: 'MeanFlow (learned)',
  description:
    'The average velocity u(z, r, t) on the rectified-flow path, distilled from a teacher denoiser with the MeanFlow identity u = v − (t − r) du/dt (the total derivative by a central finite difference). One jump: z_r = z_t − (t − r) u.',
  section: 'book §11.5 (MeanFlow), reference §6',
  formula: 'u_θ ≈ sg(v − (t − r)(v·∂_z u + ∂_t u));  Ψ: z_r = z_t − (t − r) u(z_t, r, t)',
  inputs: teacherInput,
  outputs: { flowmap: { type: 'flowmap', description: 'The learned Ψ_{σ→σ′}.' } },
  params: learnedFlowMapParams('weights/meanflow.json'),
  async run(_inputs, ctx) {
    const p = ctx.params;
    const model = await loadTrainedWeights(ctx.files, p.weights, 'meanflow-flowmap', ctx.nodeId);
    checkNetworkMatches(p, model.architecture, p.weights);
    return { flowmap: createLearnedFlowMap(model) };
  },
});
