// The flow view's measure: each point's exact log-likelihood by the PF-ODE's change of variables.
import { z } from 'zod';
import { agreedShape, agreedValueShape } from '../../core/facts';
import { defineNode } from '../../core/node-definition';
import { perPointSamples } from '../../core/samples';
import { DIVERGENCE_METHODS } from '../../likelihood/divergence';
import {
  bitsPerDimension,
  DEFAULT_LIKELIHOOD_TOLERANCE,
  LIKELIHOOD_PRIORS,
  pfOdeLogLikelihood,
} from '../../likelihood/pf-ode-likelihood';
import { noiseLevel, numberIn, requireAbove, withParamRules } from '../param-rules';
import { checkLikelihoodRun, FLOAT32_TOLERANCE, MAX_PROBES } from './likelihood-metric';
import { downloadRows, perPointSummary } from './per-point-values';

const hutchinsonOnly = { visibleWhen: { divergence: ['hutchinson'] } };

function toleranceParam(name: string) {
  return numberIn(1e-12, 1, { what: 'a tolerance' })
    .default(DEFAULT_LIKELIHOOD_TOLERANCE)
    .meta({
      title: name,
      widget: 'number',
      description:
        `${name === 'rtol' ? 'Relative' : 'Absolute'} error tolerance of the adaptive RK45 on ` +
        'x̃ and the divergence integral (the default keeps the result within 1e-4 nats of the ' +
        `exact integral); below ${FLOAT32_TOLERANCE} only for the exact oracles, which run in float64.`,
    });
}

export default defineNode({
  type: 'log-likelihood',
  version: 1,
  kind: 'analysis',
  title: 'Log-likelihood (PF-ODE)',
  description:
    'The exact log-density of each point under the model, by the probability-flow ODE’s change ' +
    'of variables (Song et al. 2021; k-diffusion’s log_likelihood): each point rides the PF-ODE ' +
    'from σ_min up to σ_max while the divergence of the flow is integrated beside it (adaptive ' +
    'RK45 in float64), and the prior N(0, σ_max² I) scores where it lands. The divergence is the ' +
    'exact Jacobian trace (analytic for the Gaussian-mixture and empirical denoisers, central ' +
    'differences for others) or Hutchinson’s estimate with its standard error. With prior ' +
    '“exact” a closed-form denoiser’s own noised density replaces the Gaussian, and the result ' +
    'is its closed-form log p_{σ_min} to integration tolerance.',
  section: 'book §5 and §4 (flow view: PF-ODE likelihood); reference §10',
  formula:
    'log p_{σ_min}(x) = log π(x̃(σ_max)) + ∫_{σ_min}^{σ_max} (d − tr ∂D/∂x̃)/σ̃ dσ̃,  ' +
    'dx̃/dσ̃ = (x̃ − D(x̃; σ̃))/σ̃,  π = N(0, σ_max² I);  bits/dim = −log p/(d ln 2)',
  inputs: {
    samples: {
      accepts: ['samples', 'dataset'],
      required: true,
      description: 'The points x to score, at the data end (σ̃ = σ_min).',
    },
    denoiser: {
      accepts: ['denoiser'],
      required: true,
      description: 'D(x̃; σ̃), whose PF-ODE defines the model density.',
    },
  },
  outputs: {
    log_density: {
      type: 'samples',
      description:
        'log p_{σ_min}(x) per point, in nats (shape [1] per point); `--save id.log_density=F.npy` ' +
        'writes it as a float64 [n] array.',
    },
    standard_error: {
      type: 'samples',
      description:
        'Hutchinson’s standard error of each point’s log-density (the probes’ spread / √K); 0 ' +
        'with the exact divergence.',
    },
    metrics: {
      type: 'metrics',
      description:
        'bits_per_dim (−mean log p/(d ln 2)), nll (−mean log p, nats), nll_standard_error ' +
        '(Hutchinson), n, dim, steps (accepted RK45 steps), nfe.',
    },
  },
  params: withParamRules(
    z.object({
      sigma_min: noiseLevel().default(0.002).meta({
        title: 'σ_min',
        widget: 'number',
        description: 'The noise level whose density is measured: the data end of the flow.',
      }),
      sigma_max: noiseLevel().default(80).meta({
        title: 'σ_max',
        widget: 'number',
        description: 'Where the flow ends and the prior N(0, σ_max² I) takes over.',
      }),
      divergence: z
        .enum(DIVERGENCE_METHODS)
        .default('exact')
        .meta({
          title: 'Divergence',
          widget: 'select',
          description:
            'exact: the Jacobian trace itself (analytic for the exact denoisers; otherwise 2d ' +
            'model calls per evaluation). hutchinson: K random probes, 2K calls whatever d is, ' +
            'with a standard error.',
        }),
      probes: numberIn(2, MAX_PROBES, { integer: true })
        .default(8)
        .meta({
          ...hutchinsonOnly,
          title: 'Probes K',
          widget: 'number',
          description: 'Rademacher probes per point, fixed along the whole flow.',
        }),
      seed: z
        .number()
        .int()
        .default(0)
        .meta({
          ...hutchinsonOnly,
          title: 'Seed',
          widget: 'seed',
          description: 'Seed of the Hutchinson probes.',
        }),
      prior: z
        .enum(LIKELIHOOD_PRIORS)
        .default('gaussian')
        .meta({
          title: 'Prior at σ_max',
          widget: 'select',
          description:
            'gaussian: N(0, σ_max² I), what a sampler starts from. exact: the data noised to ' +
            'σ_max in closed form (Gaussian-mixture and empirical denoisers only).',
        }),
      rtol: toleranceParam('rtol'),
      atol: toleranceParam('atol'),
    }),
    (p, report) => {
      requireAbove(p, 'sigma_max', 'sigma_min', report);
    },
  ),
  facts(_params, inputs) {
    agreedShape(inputs, ['samples', 'denoiser']);
    return { log_density: { shape: [1] }, standard_error: { shape: [1] } };
  },
  async run(inputs, ctx) {
    const { samples, denoiser } = inputs;
    const p = ctx.params;
    agreedValueShape({ samples, denoiser });
    const { values, rows, dim } = await downloadRows(samples, 'samples');
    checkLikelihoodRun(denoiser, rows, dim, p);
    if (p.prior === 'exact' && !denoiser.closedForm) {
      throw new Error(
        'param "prior": "exact" needs a denoiser whose noised density is known in closed form ' +
          '(Gaussian-mixture or empirical denoiser, not behind guidance); use "gaussian"',
      );
    }
    const result = await pfOdeLogLikelihood(denoiser, values, dim, {
      sigmaMin: p.sigma_min,
      sigmaMax: p.sigma_max,
      divergence: p.divergence,
      probes: p.probes,
      seed: p.seed,
      prior: p.prior,
      rtol: p.rtol,
      atol: p.atol,
      countNfe: (count) => ctx.addNfe(count),
      afterStep: async (fraction) => {
        ctx.progress(Math.round(fraction * 1000), 1000);
        await ctx.checkpoint();
      },
    });
    const summary = perPointSummary(result.logDensity, result.standardError);
    const metricValues: Record<string, number> = {
      bits_per_dim: bitsPerDimension(summary.mean, dim),
      nll: -summary.mean,
    };
    if (p.divergence === 'hutchinson')
      metricValues.nll_standard_error = summary.standardErrorOfMean;
    Object.assign(metricValues, { n: rows, dim, steps: result.acceptedSteps, nfe: result.nfe });
    return {
      log_density: perPointSamples(result.logDensity),
      standard_error: perPointSamples(result.standardError),
      metrics: { values: metricValues },
    };
  },
});
