// Params and inputs the transport nodes share: the reference process of the bridge and the two
// point clouds as float64 arrays.
import { z } from 'zod';
import { agreedValueShape } from '../../core/facts';
import { shapeSize } from '../../core/shapes';
import type { BridgeReference, Samples } from '../../core/values';
import type { PointClouds } from '../../transport/couplings';
import { numberIn } from '../param-rules';

/** β(t) of a VP reference: the bounds DDPM-style linear schedules keep well inside. */
const MAX_BETA = 1000;

export const referenceParams = {
  reference: z
    .enum(['brownian', 'vp'])
    .default('brownian')
    .meta({
      title: 'Reference',
      widget: 'select',
      description:
        'The reference process of the bridge: Brownian motion √ε dW (cost ½‖x − y‖²) or the ' +
        'VP / Ornstein–Uhlenbeck process −½β(t)X dt + √(εβ(t)) dW, a diffusion model’s forward ' +
        'process at ε = 1 (cost ‖y − αx‖²/(2(1 − α²)), α = e^{−½∫β}).',
    }),
  beta_min: numberIn(0, MAX_BETA)
    .default(0.1)
    .meta({
      title: 'β_min',
      widget: 'number',
      description: 'β(0) of the VP reference (β linear in t ∈ [0, 1]).',
      visibleWhen: { reference: ['vp'] },
    }),
  beta_max: numberIn(0, MAX_BETA)
    .default(20)
    .meta({
      title: 'β_max',
      widget: 'number',
      description: 'β(1) of the VP reference.',
      visibleWhen: { reference: ['vp'] },
    }),
};

export function bridgeReference(params: {
  reference: 'brownian' | 'vp';
  beta_min: number;
  beta_max: number;
}): BridgeReference {
  if (params.reference === 'brownian') return { kind: 'brownian' };
  if (!(params.beta_min + params.beta_max > 0)) {
    throw new Error('params "beta_min" and "beta_max" are both 0: the VP reference would not move');
  }
  return { kind: 'vp', betaMin: params.beta_min, betaMax: params.beta_max };
}

/** The two inputs as float64 clouds, after checking that their shapes agree. */
export async function pointClouds(source: Samples, target: Samples): Promise<PointClouds> {
  const shape = agreedValueShape({ source, target });
  if (!shape) throw new Error('inputs "source" and "target" carry no point shape');
  const [sourceData, targetData] = await Promise.all([source.points.data(), target.points.data()]);
  return {
    source: Float64Array.from(sourceData as ArrayLike<number>),
    target: Float64Array.from(targetData as ArrayLike<number>),
    dim: shapeSize(shape),
    shape,
  };
}
