// How good are the samples? Error against a reference solution of the same ODE (per particle),
// distance to the data distribution (sliced Wasserstein, MMD) and the cost (NFE), as numbers.
import { agreedShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { downloadPoints, finalPoints, measureSamples } from '../../metrics/measure';
import { measurementParams } from './measurement-params';

export default defineNode({
  type: 'metrics',
  version: 1,
  kind: 'analysis',
  title: 'Metrics',
  description:
    'Measures samples: mean and max L2 error per particle against a paired reference solution ' +
    '(e.g. rk45 at tight tolerance from the same noise), sliced Wasserstein-2 distance, ' +
    'MMD² (Gaussian kernel, unbiased) and the distance to the nearest data point (≈ 0 when ' +
    'samples land on training points: memorisation) against a data set, and the NFE a solver ' +
    'spent; and the values of a transport plan (transport cost, entropic objective, entropy, ' +
    'duality gap). Each value appears when its inputs are connected; computed in float64.',
  section: '§9 (solver accuracy vs NFE); evaluation of samples against p_data',
  formula:
    'mean_l2 = mean_i ‖x_i − x_ref,i‖;  swd = (mean_θ W2²(θ·x, θ·y))^{1/2};  ' +
    'mmd2 = E k(x,x′) + E k(y,y′) − 2 E k(x,y),  k = exp(−‖·‖²/(2h²));  ' +
    'nearest_data_l2 = mean_i min_j ‖x_i − y_j‖',
  inputs: {
    samples: {
      accepts: ['samples'],
      required: false,
      description: 'The points to measure (needed by every value but the coupling’s).',
    },
    reference: {
      accepts: ['samples'],
      required: false,
      description: 'Reference points paired row by row with samples (same initial noise).',
    },
    reference_trajectory: {
      accepts: ['trajectory'],
      required: false,
      description: 'A reference solution; its last frame is the paired reference.',
    },
    data: {
      accepts: ['dataset', 'samples'],
      required: false,
      description: 'The target distribution, for swd and mmd2.',
    },
    trajectory: {
      accepts: ['trajectory'],
      required: false,
      description: 'The trajectory that produced samples, for its NFE.',
    },
    coupling: {
      accepts: ['coupling'],
      required: false,
      description: 'A transport plan (Entropic OT, Exact OT), for its values.',
    },
  },
  outputs: {
    metrics: {
      type: 'metrics',
      description:
        'mean_l2, max_l2 (with a reference); swd, mmd2 (the unbiased estimate of MMD², which ' +
        'is below 0 when the samples are as close to the data as a fresh draw of it would be), ' +
        'mmd = √max(0, mmd2), mmd_bandwidth, nearest_data_l2, ' +
        'nearest_data_l2_max (with data); ' +
        'nfe (with a trajectory); reference_nfe (with a reference trajectory); n; ' +
        'transport_cost, entropy and (entropic plans) epsilon, entropic_objective, ' +
        'dual_objective, duality_gap, kl, iterations, marginal_error, f_range, g_range ' +
        '(with a coupling).',
    },
  },
  params: measurementParams,
  facts(_params, inputs) {
    agreedShape(inputs, ['samples', 'reference', 'reference_trajectory', 'data']);
    return {};
  },
  async run(inputs, ctx) {
    const { projections, mmd_bandwidth, max_points, seed } = ctx.params;
    const { samples, coupling } = inputs;
    if (!samples) {
      const needSamples = (
        ['reference', 'reference_trajectory', 'data', 'trajectory'] as const
      ).find((port) => inputs[port]);
      if (needSamples || !coupling) {
        throw new Error(
          needSamples
            ? `input "${needSamples}" is measured against input "samples": connect samples too`
            : 'connect input "samples" (points to measure) or "coupling" (a transport plan)',
        );
      }
      return { metrics: { values: { ...coupling.values } } };
    }
    if (inputs.reference && inputs.reference_trajectory) {
      throw new Error(
        'connect either "reference" or "reference_trajectory", not both: both name the paired reference',
      );
    }
    const reference = inputs.reference
      ? await downloadPoints(inputs.reference)
      : inputs.reference_trajectory &&
        finalPoints(inputs.reference_trajectory, 'reference_trajectory');
    const values = await measureSamples(await downloadPoints(samples), {
      reference,
      data: inputs.data && (await downloadPoints(inputs.data)),
      projections,
      mmdBandwidth: mmd_bandwidth,
      maxPoints: max_points,
      seed,
      checkpoint: () => ctx.checkpoint(),
    });
    if (inputs.trajectory) values.nfe = inputs.trajectory.nfe;
    if (inputs.reference_trajectory) values.reference_nfe = inputs.reference_trajectory.nfe;
    if (coupling) Object.assign(values, coupling.values);
    return { metrics: { values } };
  },
});
