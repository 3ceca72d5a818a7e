// Discrete DDPM tables (diffusers' beta_schedule names), T training steps:
//   ᾱ_i = Π_{j ≤ i} (1 − β_j),   σ̃_i = √((1 − ᾱ_i)/ᾱ_i),   i = 0 … T − 1,
// made continuous by interpolating log σ̃ (./discrete.ts), with t the table index.
//
// Zero terminal SNR (Lin et al. 2023, arXiv 2305.08891) shifts and rescales √ᾱ so that the last
// entry is exactly 0 and the first keeps its value. ᾱ = 0 means σ̃ = ∞, which no solver can start
// from, so the table's last entry is capped the way ComfyUI caps it (ᾱ_{T−1} = 4.8973e-8, σ̃ ≈ 4518.8):
// the schedule stays finite everywhere and every timesteps generator can start at t = T − 1.
import type { Schedule } from '../core/values';
import { discreteSchedule } from './discrete';

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export type BetaSchedule = (typeof BETA_SCHEDULES)[number];

/** diffusers' β_start, β_end for each schedule (DDPM; Stable Diffusion for scaled_linear). */
export const DEFAULT_BETA_RANGE: Readonly<
  Record<'linear' | 'scaled_linear', readonly [number, number]>
> = {
  linear: [1e-4, 0.02],
  scaled_linear: [0.00085, 0.012],
};

/** ComfyUI's stand-in for ᾱ_{T−1} = 0 after the zero-terminal-SNR rescale. */
export const ZERO_TERMINAL_SNR_ALPHA_BAR = 4.8973451890853435e-8;

export interface DdpmScheduleParams {
  readonly betaSchedule: BetaSchedule;
  /** β_0 and β_{T−1} for 'linear' and 'scaled_linear' (unused by 'squaredcos_cap_v2'). */
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly trainSteps: number;
  readonly zeroTerminalSnr: boolean;
}

/** numpy's linspace: start + i·step, with the last point exactly `end`. */
function linspace(start: number, end: number, count: number): Float64Array {
  const values = new Float64Array(count);
  const step = (end - start) / (count - 1);
  for (let i = 0; i < count; i++) values[i] = start + i * step;
  values[count - 1] = end;
  return values;
}

/** Improved DDPM's cosine ᾱ(t) (s = 0.008), from which squaredcos_cap_v2 derives its β. */
function cosineAlphaBar(t: number): number {
  return Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
}

export function ddpmBetas(
  schedule: BetaSchedule,
  betaStart: number,
  betaEnd: number,
  trainSteps: number,
): Float64Array {
  switch (schedule) {
    case 'linear':
      return linspace(betaStart, betaEnd, trainSteps);
    case 'scaled_linear':
      // Stable Diffusion: linear in √β
      return linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), trainSteps).map((r) => r * r);
    case 'squaredcos_cap_v2': {
      // diffusers' betas_for_alpha_bar: β_i = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999)
      const betas = new Float64Array(trainSteps);
      for (let i = 0; i < trainSteps; i++) {
        const ratio = cosineAlphaBar((i + 1) / trainSteps) / cosineAlphaBar(i / trainSteps);
        betas[i] = Math.min(1 - ratio, 0.999);
      }
      return betas;
    }
  }
}

export function cumulativeAlphas(betas: Float64Array): Float64Array {
  const alphaBar = new Float64Array(betas.length);
  let product = 1;
  betas.forEach((beta, i) => {
    product *= 1 - beta;
    alphaBar[i] = product;
  });
  return alphaBar;
}

/** Lin et al.'s rescale: √ᾱ ← (√ᾱ − √ᾱ_T)·√ᾱ_0/(√ᾱ_0 − √ᾱ_T); ᾱ_T becomes exactly 0. */
export function rescaleZeroTerminalSnr(alphaBar: Float64Array): Float64Array {
  const first = Math.sqrt(alphaBar[0]!);
  const last = Math.sqrt(alphaBar[alphaBar.length - 1]!);
  const scale = first / (first - last);
  const rescaled = alphaBar.map((value) => ((Math.sqrt(value) - last) * scale) ** 2);
  rescaled[0] = alphaBar[0]!; // exact, not one rounding away
  return rescaled;
}

function checkParams(p: DdpmScheduleParams): void {
  if (!(BETA_SCHEDULES as readonly string[]).includes(p.betaSchedule)) {
    throw new Error(
      `DDPM schedule: betaSchedule must be one of ${BETA_SCHEDULES.join(', ')} (got ${p.betaSchedule})`,
    );
  }
  if (!Number.isInteger(p.trainSteps) || p.trainSteps < 2) {
    throw new Error(`DDPM schedule: trainSteps must be an integer ≥ 2 (got ${p.trainSteps})`);
  }
  if (p.betaSchedule === 'squaredcos_cap_v2') return;
  if (!(p.betaStart > 0 && p.betaStart < 1)) {
    throw new Error(`DDPM schedule: betaStart must lie in (0, 1) (got ${p.betaStart})`);
  }
  if (!(p.betaEnd >= p.betaStart && p.betaEnd < 1)) {
    throw new Error(
      `DDPM schedule: betaEnd must lie in [betaStart, 1) = [${p.betaStart}, 1) (got ${p.betaEnd})`,
    );
  }
}

/** ᾱ_0 … ᾱ_{T−1}; with zeroTerminalSnr the last one is exactly 0 (before any cap). */
export function ddpmAlphasCumprod(p: DdpmScheduleParams): Float64Array {
  checkParams(p);
  const alphaBar = cumulativeAlphas(
    ddpmBetas(p.betaSchedule, p.betaStart, p.betaEnd, p.trainSteps),
  );
  return p.zeroTerminalSnr ? rescaleZeroTerminalSnr(alphaBar) : alphaBar;
}

/** The ascending σ̃ table, with ᾱ = 0 replaced by ZERO_TERMINAL_SNR_ALPHA_BAR. */
export function ddpmSigmas(p: DdpmScheduleParams): Float64Array {
  return ddpmAlphasCumprod(p).map((alphaBar) => {
    const capped = alphaBar > 0 ? alphaBar : ZERO_TERMINAL_SNR_ALPHA_BAR;
    return Math.sqrt((1 - capped) / capped);
  });
}

export function ddpmSchedule(p: DdpmScheduleParams): Schedule {
  return discreteSchedule('ddpm', ddpmSigmas(p));
}
