// How good are the samples? Error against a reference solution of the same ODE (per particle),
// distance to the data distribution (sliced Wasserstein, MMD) and the cost (NFE), as numbers; and,
// with a denoiser, the likelihood of the data (held-out points) under the model.
import { agreedShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { downloadPoints, finalPoints, measureSamples } from '../../metrics/measure';
import { withParamRules } from '../param-rules';
import {
  likelihoodMetric,
  likelihoodMetricParams,
  likelihoodMetricRules,
} from './likelihood-metric';
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
    'duality gap). With a denoiser it also scores the data input (held-out points) under the ' +
    'model: mean negative log-likelihood in nats and bits per dimension by the PF-ODE, as the ' +
    'Log-likelihood node does. Each value appears when its inputs are connected; computed in float64.',
  section:
    '§9 (solver accuracy vs NFE); evaluation of samples against p_data; likelihood of held-out ' +
    'data: book §4–5, reference §10',
  formula:
    'mean_l2 = mean_i ‖x_i − x_ref,i‖;  swd = (mean_θ W2²(θ·x, θ·y))^{1/2};  ' +
    'mmd2 = E k(x,x′) + E k(y,y′) − 2 E k(x,y),  k = exp(−‖·‖²/(2h²));  ' +
    'nearest_data_l2 = mean_i min_j ‖x_i − y_j‖;  nll = −mean_j log p_{σ_min}(y_j),  ' +
    'bits_per_dim = nll/(d ln 2)',
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
      description:
        'The target distribution, for swd and mmd2; with a denoiser, the held-out points whose ' +
        'likelihood is measured (draw them apart from the training data).',
    },
    denoiser: {
      accepts: ['denoiser'],
      required: false,
      description:
        'A model D(x̃; σ̃): the data input is scored under its PF-ODE (nll, bits_per_dim); ' +
        'samples are then optional.',
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
        '(with a coupling); nll (−mean log p of the data, nats), bits_per_dim and, with ' +
        'Hutchinson, nll_standard_error (with a denoiser and data).',
    },
  },
  params: withParamRules(measurementParams.extend(likelihoodMetricParams), likelihoodMetricRules),
  facts(_params, inputs) {
    agreedShape(inputs, ['samples', 'reference', 'reference_trajectory', 'data', 'denoiser']);
    return {};
  },
  async run(inputs, ctx) {
    const { projections, mmd_bandwidth, max_points, seed } = ctx.params;
    const { samples, coupling, denoiser } = inputs;
    if (denoiser && !inputs.data) {
      throw new Error(
        'input "denoiser" scores the held-out points on input "data": connect data too',
      );
    }
    const likelihood = async () =>
      denoiser && inputs.data
        ? await likelihoodMetric(denoiser, inputs.data, 'data', ctx.params, {
            addNfe: (count) => ctx.addNfe(count),
            checkpoint: () => ctx.checkpoint(),
          })
        : {};
    if (!samples && denoiser && !inputs.reference && !inputs.reference_trajectory) {
      const values = await likelihood();
      if (inputs.trajectory) values.nfe = inputs.trajectory.nfe;
      if (coupling) Object.assign(values, coupling.values);
      return { metrics: { values } };
    }
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
    Object.assign(values, await likelihood());
    return { metrics: { values } };
  },
});
