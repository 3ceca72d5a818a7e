// The variational view's measure: the DDPM evidence lower bound on each point's log-likelihood.
import { z } from 'zod';
import { agreedShape, agreedValueShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { perPointSamples } from '../../core/samples';
import { alphaBarsOfSigmas, DDPM_VARIANCES, ddpmElbo } from '../../likelihood/ddpm-elbo';
import { bitsPerDimension } from '../../likelihood/pf-ode-likelihood';
import { numberIn, PARAM_LIMITS } from '../param-rules';
import { downloadRows, perPointSummary } from './per-point-values';

/** Monte Carlo replicates per point: each is one model call per step. */
const MAX_REPLICATES = 1024;

export default defineNode({
  type: 'elbo',
  version: 1,
  kind: 'analysis',
  title: 'ELBO (DDPM)',
  description:
    'The evidence lower bound of discrete-time DDPM on each point’s log-likelihood, for any ' +
    'denoiser on a discrete (DDPM) schedule of T steps: the prior term L_T, the T − 1 KL terms ' +
    'between the true posterior q(x_{t−1} | x_t, x₀) and the model’s Gaussian step (mean from ' +
    'x̂₀ = D), and the Gaussian decoder L_0, each x_t drawn from q(x_t | x₀) (Monte Carlo, with ' +
    'its standard error). ELBO ≤ log p(x₀): compare it with the Log-likelihood node.',
  section: 'book §2.2 (variational view: DDPM and its ELBO); reference §10',
  formula:
    'ELBO = −(L_T + Σ_{t=2}^{T} L_{t−1} + L_0);  L_T = KL(q(x_T|x₀) ‖ N(0, I));  ' +
    'L_{t−1} = c_t²‖x₀ − x̂₀‖²/(2σ_t²) + (d/2)(log(σ_t²/β̃_t) + β̃_t/σ_t² − 1),  ' +
    'c_t = √ᾱ_{t−1}β_t/(1 − ᾱ_t);  L_0 = −log N(x₀; x̂₀(x_1), β_1 I)',
  inputs: {
    samples: {
      accepts: ['samples', 'dataset'],
      required: true,
      description: 'The points x₀ to bound the log-likelihood of.',
    },
    denoiser: {
      accepts: ['denoiser'],
      required: true,
      description: 'D(x̃; σ̃), which gives the model’s mean at every step.',
    },
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'A discrete DDPM schedule (its ᾱ_1 … ᾱ_T table; T is its length).',
    },
  },
  outputs: {
    elbo: {
      type: 'samples',
      description:
        'The bound on log p(x₀) per point, in nats (shape [1] per point; `--save` writes [n]).',
    },
    standard_error: {
      type: 'samples',
      description: 'The Monte Carlo standard error of each point’s bound.',
    },
    metrics: {
      type: 'metrics',
      description:
        'bits_per_dim (−mean ELBO/(d ln 2): an upper bound), nll_bound (−mean ELBO, nats), ' +
        'nll_standard_error, prior_term, transition_terms, decoder_term (means of L_T, Σ L_{t−1}, ' +
        'L_0), steps (T), n, nfe.',
    },
  },
  params: z.object({
    replicates: numberIn(1, MAX_REPLICATES, { integer: true })
      .default(4)
      .meta({
        title: 'Replicates',
        widget: 'number',
        description:
          'Monte Carlo draws of x_t per step and point (each one model call per step); 2 or more ' +
          'give a standard error.',
      }),
    seed: z.number().int().default(0).meta({
      title: 'Seed',
      widget: 'seed',
      description: 'Seed of the forward-process noise.',
    }),
    variance: z
      .enum(DDPM_VARIANCES)
      .default('fixed_small')
      .meta({
        title: 'Step variance σ_t²',
        widget: 'select',
        description:
          'fixed_small: β̃_t, the posterior variance (tight for point-like data; diffusers’ ' +
          'default). fixed_large: β_t (tighter for data with a density). The decoder uses β_1.',
      }),
  }),
  facts(_params, inputs) {
    agreedShape(inputs, ['samples', 'denoiser']);
    return { elbo: { shape: [1] }, standard_error: { shape: [1] } };
  },
  async run(inputs, ctx) {
    const { samples, denoiser, schedule } = inputs;
    const p = ctx.params;
    agreedValueShape({ samples, denoiser });
    if (!schedule.discreteSigmas) {
      throw new Error(
        `input "schedule": the ELBO needs a discrete DDPM schedule (a table of T steps); ` +
          `the "${schedule.name}" schedule is continuous`,
      );
    }
    const steps = schedule.discreteSigmas.length;
    const { values, rows, dim } = await downloadRows(samples, 'samples');
    if (rows * p.replicates * dim > PARAM_LIMITS.values) {
      throw new Error(
        `param "replicates": ${rows} points × ${p.replicates} replicates × ${dim} values exceed ` +
          `${PARAM_LIMITS.values} values per step; use fewer replicates or points`,
      );
    }
    const result = await ddpmElbo(
      denoiser,
      values,
      dim,
      alphaBarsOfSigmas(schedule.discreteSigmas),
      {
        replicates: p.replicates,
        seed: p.seed,
        variance: p.variance,
        countNfe: (count) => ctx.addNfe(count),
        afterStep: async (fraction) => {
          ctx.progress(Math.round(fraction * steps), steps);
          await ctx.checkpoint();
        },
      },
    );
    const summary = perPointSummary(result.elbo, result.standardError);
    const mean = (terms: Float64Array) => terms.reduce((sum, value) => sum + value, 0) / rows;
    const metricValues: Record<string, number> = {
      bits_per_dim: bitsPerDimension(summary.mean, dim),
      nll_bound: -summary.mean,
    };
    if (p.replicates > 1) metricValues.nll_standard_error = summary.standardErrorOfMean;
    Object.assign(metricValues, {
      prior_term: mean(result.priorTerm),
      transition_terms: mean(result.transitionTerms),
      decoder_term: mean(result.decoderTerm),
      steps: result.steps,
      n: rows,
      nfe: result.nfe,
    });
    return {
      elbo: perPointSamples(result.elbo),
      standard_error: perPointSamples(result.standardError),
      metrics: { values: metricValues },
    };
  },
});
