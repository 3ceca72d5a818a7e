// The exact flow map of any denoiser: its PF-ODE integrated from s to t by rk45.
import { z } from 'zod';
import { shapeOf } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { modelShape, withShape } from '../../core/values';
import { createTeacherFlowMap } from '../../flowmaps/teacher';
import { noiseLevel, tolerance } from '../param-rules';

export default defineNode({
  type: 'teacher-flowmap',
  version: 1,
  kind: 'flowmap',
  title: 'Teacher flow map (rk45)',
  description:
    "Any denoiser's PF-ODE flow map, computed by integrating dx̃/dσ̃ = (x̃ − D)/σ̃ from the " +
    'starting level to the target one with adaptive Dormand–Prince; a jump to 0 integrates to ' +
    'σ_end and returns D there, as every sampler ends.',
  section: 'book §11.4 (flow map Ψ_{s→t}), reference §4 (rk45)',
  formula: "Ψ_{σ→σ'}(x̃) = x̃ + ∫_σ^{σ'} (x̃(u) − D(x̃(u); u))/u du",
  inputs: {
    denoiser: { accepts: ['denoiser'], required: true, description: 'D(x̃; σ̃) to integrate.' },
  },
  outputs: { flowmap: { type: 'flowmap', description: 'Ψ_{σ→σ′} of the denoiser’s PF-ODE.' } },
  params: z.object({
    rtol: tolerance().default(1e-5).meta({
      title: 'rtol',
      widget: 'number',
      description: 'Relative tolerance of each rk45 step.',
    }),
    atol: tolerance().default(1e-5).meta({
      title: 'atol',
      widget: 'number',
      description: 'Absolute tolerance of each rk45 step.',
    }),
    sigma_end: noiseLevel().default(0.002).meta({
      title: 'σ_end',
      widget: 'number',
      description: 'A jump to 0 integrates down to here, then returns D.',
    }),
  }),
  facts: (_params, inputs) => ({ flowmap: shapeOf(inputs.denoiser) }),
  run(inputs, ctx) {
    const { rtol, atol, sigma_end } = ctx.params;
    const flowmap = createTeacherFlowMap(inputs.denoiser, { rtol, atol, sigmaEnd: sigma_end });
    return { flowmap: withShape(flowmap, modelShape(inputs.denoiser)) };
  },
});
