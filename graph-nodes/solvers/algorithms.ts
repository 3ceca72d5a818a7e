// The solver algorithms by name. Adding one: write its file (a SolverAlgorithm) and list it here;
// the Solver node's `algorithm` param, and which of its params show, are derived from this table.
import { ddim } from './ddim';
import { ddpm } from './ddpm';
import { dpm2 } from './dpm-2';
import { dpm2Ancestral } from './dpm-2-ancestral';
import { dpmpp2m } from './dpmpp-2m';
import { dpmpp2mCfgPp } from './dpmpp-2m-cfg-pp';
import { dpmpp2mSde } from './dpmpp-2m-sde';
import { dpmpp2sAncestral } from './dpmpp-2s-ancestral';
import { dpmpp3mSde } from './dpmpp-3m-sde';
import { euler } from './euler';
import { eulerCfgPp } from './euler-cfg-pp';
import { eulerAncestral } from './euler-ancestral';
import { heun } from './heun';
import { lms } from './lms';
import { deis } from './deis';
import { dpmAdaptive } from './dpm-adaptive';
import { dpmFast } from './dpm-fast';
import { dpmppSde } from './dpmpp-sde';
import { eulerMaruyama } from './euler-maruyama';
import { ipndm } from './ipndm';
import { pc } from './pc';
import { rk45 } from './rk45';
import { uniPc } from './uni-pc';
import type { SolverAlgorithm } from './loop';
import { paramsReadBy, type SolverParamName } from './settings';

export const SOLVER_ALGORITHMS = {
  euler,
  euler_ancestral: eulerAncestral,
  euler_cfg_pp: eulerCfgPp,
  heun,
  dpm_2: dpm2,
  dpm_2_ancestral: dpm2Ancestral,
  lms,
  dpmpp_2s_ancestral: dpmpp2sAncestral,
  dpmpp_2m: dpmpp2m,
  dpmpp_2m_cfg_pp: dpmpp2mCfgPp,
  dpmpp_2m_sde: dpmpp2mSde,
  dpmpp_3m_sde: dpmpp3mSde,
  ddim,
  ddpm,
  dpm_fast: dpmFast,
  dpm_adaptive: dpmAdaptive,
  dpmpp_sde: dpmppSde,
  uni_pc: uniPc,
  deis,
  ipndm,
  euler_maruyama: eulerMaruyama,
  pc,
  rk45,
} as const satisfies Record<string, SolverAlgorithm>;

export type SolverAlgorithmName = keyof typeof SOLVER_ALGORITHMS;

export const SOLVER_ALGORITHM_NAMES = Object.keys(SOLVER_ALGORITHMS) as [
  SolverAlgorithmName,
  ...SolverAlgorithmName[],
];

/** The algorithms that read a Solver-node param (its `visibleWhen`). */
export function algorithmsReading(param: SolverParamName): SolverAlgorithmName[] {
  return SOLVER_ALGORITHM_NAMES.filter((name) =>
    paramsReadBy(SOLVER_ALGORITHMS[name]).includes(param),
  );
}

/** The algorithms that read the churn settings (s_churn, s_tmin, s_tmax). */
export const CHURN_ALGORITHM_NAMES = algorithmsReading('s_churn');

export function getSolverAlgorithm(name: string): SolverAlgorithm {
  if (!Object.hasOwn(SOLVER_ALGORITHMS, name)) {
    throw new Error(
      `unknown solver algorithm "${name}"; known: ${SOLVER_ALGORITHM_NAMES.join(', ')}`,
    );
  }
  return SOLVER_ALGORITHMS[name as SolverAlgorithmName];
}
