// The tunable settings of the solver algorithms. Each algorithm declares which Solver-node params
// it reads and its own defaults for them; the node shows a param only for the algorithms that
// read it, and the loop resolves what the algorithm sees: built-in default ← the algorithm's
// default ← the value the user gave.
import type { SolverAlgorithm } from './loop';

/** EDM's stochastic "churn" (Karras et al. 2022, Alg. 2), in k-diffusion's parameter names. */
export interface ChurnSettings {
  readonly sChurn: number;
  readonly sTmin: number;
  readonly sTmax: number;
}

export type SolverType = 'midpoint' | 'heun';
export type UniPcVariant = 'bh1' | 'bh2';

/** Everything an algorithm may read, fully resolved; each algorithm ignores what it has no use for. */
export interface SolverSettings {
  readonly churn: ChurnSettings;
  /** Amount of fresh noise per step: 0 is the ODE, 1 the reverse SDE / DDPM posterior. */
  readonly eta: number;
  /** Scale of the fresh noise (churn, ancestral and SDE steps). */
  readonly sNoise: number;
  /** Order of multistep / singlestep / adaptive methods. */
  readonly order: number;
  /** Position of the intermediate point in λ (dpmpp_sde). */
  readonly r: number;
  /** How dpmpp_2m_sde forms its second-order correction. */
  readonly solverType: SolverType;
  /** UniPC's B(h). */
  readonly variant: UniPcVariant;
  /** Relative and absolute tolerances of adaptive solvers. */
  readonly rtol: number;
  readonly atol: number;
  /** Signal-to-noise ratio of Langevin corrector steps (pc). */
  readonly snr: number;
  readonly correctorSteps: number;
}

/** What a caller may give: any subset; an absent (or undefined) field takes the default. */
export type SolverSettingsInput = {
  readonly [K in Exclude<keyof SolverSettings, 'churn'>]?: SolverSettings[K] | undefined;
} & { readonly churn?: Partial<ChurnSettings> | undefined };

/** An algorithm's own defaults, e.g. `{ eta: 1 }` for ancestral samplers. */
export type SolverDefaults = Partial<Omit<SolverSettings, 'churn'>>;

/** The Solver node's param names (snake_case, k-diffusion's where one exists). */
export type SolverParamName =
  | 'eta'
  | 's_noise'
  | 's_churn'
  | 's_tmin'
  | 's_tmax'
  | 'order'
  | 'r'
  | 'solver_type'
  | 'variant'
  | 'rtol'
  | 'atol'
  | 'snr'
  | 'corrector_steps'
  | 'seed';

/** The params of EDM churn (euler, heun, dpm_2). */
export const CHURN_PARAMS = ['s_churn', 's_tmin', 's_tmax', 's_noise', 'seed'] as const;
/** The params of ancestral and SDE samplers that take fresh noise each step. */
export const ANCESTRAL_PARAMS = ['eta', 's_noise', 'seed'] as const;

export const NO_CHURN: ChurnSettings = { sChurn: 0, sTmin: 0, sTmax: Infinity };

/** Built-in defaults (k-diffusion's) for settings that an algorithm does not override. */
export const DEFAULT_SOLVER_SETTINGS: SolverSettings = {
  churn: NO_CHURN,
  eta: 0,
  sNoise: 1,
  order: 1,
  r: 0.5,
  solverType: 'midpoint',
  variant: 'bh2',
  rtol: 0.05,
  atol: 0.0078,
  snr: 0.16,
  correctorSteps: 1,
};

/** The node params an algorithm reads: its churn params when it uses churn, then its own. */
export function paramsReadBy(algorithm: SolverAlgorithm): readonly SolverParamName[] {
  const own = algorithm.params ?? [];
  if (!algorithm.usesChurn) return own;
  return [
    ...CHURN_PARAMS,
    ...own.filter((name) => !(CHURN_PARAMS as readonly string[]).includes(name)),
  ];
}

function defined<T extends object>(values: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** The highest order an algorithm that reads `order` can run at. */
export function maxOrderOf(algorithm: SolverAlgorithm): number {
  return algorithm.maxOrder ?? algorithm.order;
}

/** Why `order` does not suit `algorithm`, or undefined when it does (or the algorithm ignores it). */
export function orderProblem(algorithm: SolverAlgorithm, order: number): string | undefined {
  if (!paramsReadBy(algorithm).includes('order')) return undefined;
  const maxOrder = maxOrderOf(algorithm);
  if (Number.isInteger(order) && order >= 1 && order <= maxOrder) return undefined;
  return `order must be an integer from 1 to ${maxOrder} for ${algorithm.name} (got ${order})`;
}

/** The settings `algorithm` sees: built-in default ← its own default ← what was given. */
export function resolveSettings(
  algorithm: SolverAlgorithm,
  given: SolverSettingsInput = {},
): SolverSettings {
  const { churn, ...rest } = given;
  const settings: SolverSettings = {
    ...DEFAULT_SOLVER_SETTINGS,
    ...defined(algorithm.defaults),
    ...defined(rest),
    churn: { ...NO_CHURN, ...defined(churn) },
  };
  const problem = orderProblem(algorithm, settings.order);
  if (problem) throw new Error(`${algorithm.name}: ${problem}`);
  if (!(settings.eta >= 0)) {
    throw new Error(`${algorithm.name}: eta must be ≥ 0 (got ${settings.eta})`);
  }
  return settings;
}
