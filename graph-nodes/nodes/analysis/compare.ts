// Several solvers side by side: each branch's trajectory measured the same way against one
// reference solution and one data set, as a table with a row per branch. The app draws the
// branches in panels with one shared scrubber; `sync` says how the panels line up.
import { z } from 'zod';
import { agreedShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import type { MetricsRow } from '../../core/values';
import { downloadPoints, finalPoints, measureSamples } from '../../metrics/measure';
import type { PointSet } from '../../metrics/point-set';
import { withParamRules } from '../param-rules';
import {
  likelihoodMetric,
  likelihoodMetricParams,
  likelihoodMetricRules,
} from './likelihood-metric';
import { measurementParams } from './measurement-params';

const BRANCHES = [1, 2, 3, 4, 5, 6].map((index) => `trajectory_${index}`);
const DENOISERS = [1, 2, 3, 4, 5, 6].map((index) => `denoiser_${index}`);

function branchInput<R extends boolean>(index: number, required: R) {
  return {
    accepts: ['trajectory'] as const,
    required,
    description: `Branch ${index}: a solver's trajectory${required ? '' : ' (optional)'}.`,
  };
}

function branchDenoiser(index: number) {
  return {
    accepts: ['denoiser'] as const,
    required: false as const,
    description:
      `Branch ${index}'s model (optional): the data input's held-out points are scored under ` +
      'it (nll, bits_per_dim in the row).',
  };
}

export default defineNode({
  type: 'compare',
  version: 1,
  kind: 'analysis',
  title: 'Compare solvers',
  description:
    'Puts up to six trajectories side by side — typically one prior and one denoiser fanned out ' +
    'to several Solver nodes — and measures each the same way: NFE, mean and max L2 error per ' +
    'particle against a reference solution from the same noise (e.g. rk45 at tight tolerance), ' +
    'and sliced Wasserstein distance and MMD to the data; with a branch’s denoiser connected, ' +
    'the mean negative log-likelihood (nats) and bits per dimension of the data (held-out ' +
    'points) under that model, by the PF-ODE. The app shows one panel per branch with a shared ' +
    'scrubber and the table; computed in float64.',
  section: '§9 (solver accuracy vs NFE); evaluation of samples against p_data',
  formula:
    'per branch b: nfe_b;  mean_l2_b = mean_i ‖x_b,i − x_ref,i‖;  swd_b, mmd_b to the data;  ' +
    'nll_b = −mean_j log p_b(y_j)',
  inputs: {
    trajectory_1: branchInput(1, true),
    trajectory_2: branchInput(2, false),
    trajectory_3: branchInput(3, false),
    trajectory_4: branchInput(4, false),
    trajectory_5: branchInput(5, false),
    trajectory_6: branchInput(6, false),
    denoiser_1: branchDenoiser(1),
    denoiser_2: branchDenoiser(2),
    denoiser_3: branchDenoiser(3),
    denoiser_4: branchDenoiser(4),
    denoiser_5: branchDenoiser(5),
    denoiser_6: branchDenoiser(6),
    reference: {
      accepts: ['trajectory', 'samples'],
      required: false,
      description:
        'The exact solution from the same noise (its final frame when a trajectory), paired row ' +
        'by row with every branch.',
    },
    data: {
      accepts: ['dataset', 'samples'],
      required: false,
      description:
        'The target distribution, for swd and mmd; the held-out points scored under each ' +
        'branch’s denoiser.',
    },
  },
  outputs: {
    metrics: {
      type: 'metrics',
      description:
        'One row per connected branch (nfe; mean_l2, max_l2 with a reference; swd, mmd2, mmd, ' +
        'nearest_data_l2 with data; nll, bits_per_dim with data and the branch’s denoiser); the ' +
        'flat values are the same numbers keyed "branch.metric".',
    },
  },
  params: withParamRules(
    measurementParams.extend({
      ...likelihoodMetricParams,
      sync: z
        .enum(['sigma', 'fraction'])
        .default('sigma')
        .meta({
          title: 'Sync panels by',
          widget: 'select',
          description:
            'How the shared scrubber lines up the panels: by noise level σ̃ (solvers with ' +
            'different steps meet at the same σ̃) or by fraction of the run.',
        }),
    }),
    likelihoodMetricRules,
  ),
  facts(_params, inputs) {
    agreedShape(inputs, [...BRANCHES, ...DENOISERS, 'reference', 'data']);
    return {};
  },
  async run(inputs, ctx) {
    const { projections, mmd_bandwidth, max_points, seed } = ctx.params;
    const reference: PointSet | undefined =
      inputs.reference &&
      ('frames' in inputs.reference
        ? finalPoints(inputs.reference, 'reference')
        : await downloadPoints(inputs.reference));
    const data = inputs.data && (await downloadPoints(inputs.data));

    const rows: MetricsRow[] = [];
    const flat: Record<string, number> = {};
    const branches = [
      ['trajectory_1', inputs.trajectory_1, inputs.denoiser_1],
      ['trajectory_2', inputs.trajectory_2, inputs.denoiser_2],
      ['trajectory_3', inputs.trajectory_3, inputs.denoiser_3],
      ['trajectory_4', inputs.trajectory_4, inputs.denoiser_4],
      ['trajectory_5', inputs.trajectory_5, inputs.denoiser_5],
      ['trajectory_6', inputs.trajectory_6, inputs.denoiser_6],
    ] as const;
    branches.forEach(([branch, trajectory, denoiser], index) => {
      if (denoiser && !trajectory) {
        throw new Error(`input "denoiser_${index + 1}" needs its branch "${branch}" connected`);
      }
      if (denoiser && !data) {
        throw new Error(
          `input "denoiser_${index + 1}" scores the held-out points on input "data": connect data too`,
        );
      }
    });
    for (const [branch, trajectory, denoiser] of branches) {
      if (!trajectory) continue;
      if (reference && reference.n !== trajectory.n) {
        throw new Error(
          `"${branch}" has ${trajectory.n} points but "reference" has ${reference.n}: the ` +
            'reference must start from the same noise as every branch',
        );
      }
      const measured = await measureSamples(finalPoints(trajectory, branch), {
        reference,
        data,
        projections,
        mmdBandwidth: mmd_bandwidth,
        maxPoints: max_points,
        seed,
        checkpoint: () => ctx.checkpoint(),
      });
      const likelihood =
        denoiser && inputs.data
          ? await likelihoodMetric(denoiser, inputs.data, 'data', ctx.params, {
              addNfe: (count) => ctx.addNfe(count),
              checkpoint: () => ctx.checkpoint(),
              denoiserPort: `denoiser_${branch.slice('trajectory_'.length)}`,
            })
          : {};
      const values = { nfe: trajectory.nfe, ...measured, ...likelihood };
      rows.push({ branch, values });
      for (const [key, value] of Object.entries(values)) flat[`${branch}.${key}`] = value;
    }
    return { metrics: { values: flat, rows } };
  },
});
