// Likelihood as a metric: the mean negative log-likelihood (nats) and bits per dimension of
// held-out points under a denoiser's PF-ODE, for the Metrics and Compare nodes. The params and
// their defaults are the Log-likelihood node's (Gaussian prior N(0, σ_max² I)), and the number is
// the same pfOdeLogLikelihood call, so a Metrics node's nll equals that node's on the same points.
import { z } from 'zod';
import type { Denoiser, Samples } from '../../core/values';
import { agreedValueShape } from '../../core/facts';
import { DIVERGENCE_METHODS } from '../../likelihood/divergence';
import {
  bitsPerDimension,
  DEFAULT_LIKELIHOOD_TOLERANCE,
  pfOdeLogLikelihood,
} from '../../likelihood/pf-ode-likelihood';
import { noiseLevel, numberIn, PARAM_LIMITS, requireAbove } from '../param-rules';
import type { ReportParamProblem } from '../param-rules';
import { downloadRows, perPointSummary } from './per-point-values';

/** Hutchinson probes per point: each is a pair of model calls per field evaluation. */
export const MAX_PROBES = 256;
/**
 * Tolerances below this need the denoiser in float64: a float32 model's rounding (~1e-7 of its
 * output) would keep every error estimate above them, and the step would shrink without end.
 */
export const FLOAT32_TOLERANCE = 1e-8;

/** What a likelihood run refuses before it starts, for the Log-likelihood and Metrics nodes. */
export function checkLikelihoodRun(
  denoiser: Denoiser,
  rows: number,
  dim: number,
  p: {
    readonly rtol: number;
    readonly atol: number;
    readonly divergence: string;
    readonly probes: number;
  },
): void {
  if (!denoiser.closedForm && Math.min(p.rtol, p.atol) < FLOAT32_TOLERANCE) {
    throw new Error(
      `param "${p.rtol < FLOAT32_TOLERANCE ? 'rtol' : 'atol'}": tolerances below ` +
        `${FLOAT32_TOLERANCE} need a denoiser evaluated in float64 (the Gaussian-mixture or ` +
        'empirical denoiser); this one is float32',
    );
  }
  if (p.divergence === 'hutchinson' && rows * p.probes * dim > PARAM_LIMITS.values) {
    throw new Error(
      `param "probes": ${rows} points × ${p.probes} probes × ${dim} values exceed ` +
        `${PARAM_LIMITS.values} probe values; use fewer probes or points`,
    );
  }
}

function toleranceParam(name: 'rtol' | 'atol') {
  return numberIn(1e-12, 1, { what: 'a tolerance' })
    .default(DEFAULT_LIKELIHOOD_TOLERANCE)
    .meta({
      title: `NLL ${name}`,
      widget: 'number',
      description:
        `${name === 'rtol' ? 'Relative' : 'Absolute'} tolerance of the likelihood's adaptive ` +
        `RK45 (with a denoiser); below ${FLOAT32_TOLERANCE} only for the exact oracles.`,
    });
}

/** The params of the likelihood metric, defaults as on the Log-likelihood node. */
export const likelihoodMetricParams = {
  sigma_min: noiseLevel()
    .default(0.002)
    .meta({
      title: 'NLL σ_min',
      widget: 'number',
      description:
        'With a denoiser: the noise level whose density scores the held-out points (the data end ' +
        'of the flow).',
    }),
  sigma_max: noiseLevel().default(80).meta({
    title: 'NLL σ_max',
    widget: 'number',
    description: 'With a denoiser: where the flow ends and the prior N(0, σ_max² I) takes over.',
  }),
  divergence: z
    .enum(DIVERGENCE_METHODS)
    .default('exact')
    .meta({
      title: 'NLL divergence',
      widget: 'select',
      description:
        'With a denoiser: exact, the Jacobian trace (analytic for the exact denoisers, else 2d ' +
        'model calls per evaluation); hutchinson, K random probes with a standard error.',
    }),
  probes: numberIn(2, MAX_PROBES, { integer: true })
    .default(8)
    .meta({
      title: 'NLL probes K',
      widget: 'number',
      description: 'Hutchinson probes per point (seeded by Seed).',
      visibleWhen: { divergence: ['hutchinson'] },
    }),
  rtol: toleranceParam('rtol'),
  atol: toleranceParam('atol'),
};

export interface LikelihoodMetricSettings {
  readonly sigma_min: number;
  readonly sigma_max: number;
  readonly divergence: (typeof DIVERGENCE_METHODS)[number];
  readonly probes: number;
  readonly rtol: number;
  readonly atol: number;
  readonly seed: number;
}

/** sigma_max above sigma_min, for withParamRules. */
export function likelihoodMetricRules(p: LikelihoodMetricSettings, report: ReportParamProblem) {
  requireAbove(p, 'sigma_max', 'sigma_min', report);
}

/**
 * nll (−mean log p_{σ_min}, nats), bits_per_dim and, with Hutchinson, nll_standard_error of the
 * points under the denoiser's PF-ODE. `port` names the points' input in messages.
 */
export async function likelihoodMetric(
  denoiser: Denoiser,
  points: Samples,
  port: string,
  p: LikelihoodMetricSettings,
  hooks: {
    readonly addNfe: (count: number) => void;
    readonly checkpoint: () => Promise<void>;
    readonly denoiserPort?: string;
  },
): Promise<Record<string, number>> {
  agreedValueShape({ [port]: points, [hooks.denoiserPort ?? 'denoiser']: denoiser });
  const { values, rows, dim } = await downloadRows(points, port);
  checkLikelihoodRun(denoiser, rows, dim, p);
  const result = await pfOdeLogLikelihood(denoiser, values, dim, {
    sigmaMin: p.sigma_min,
    sigmaMax: p.sigma_max,
    divergence: p.divergence,
    probes: p.probes,
    seed: p.seed,
    prior: 'gaussian',
    rtol: p.rtol,
    atol: p.atol,
    countNfe: hooks.addNfe,
    afterStep: () => hooks.checkpoint(),
  });
  const summary = perPointSummary(result.logDensity, result.standardError);
  const metrics: Record<string, number> = {
    nll: -summary.mean,
    bits_per_dim: bitsPerDimension(summary.mean, dim),
  };
  if (p.divergence === 'hutchinson') metrics.nll_standard_error = summary.standardErrorOfMean;
  return metrics;
}
