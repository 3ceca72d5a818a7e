// The solver algorithms by name. Adding one: write its file (a SolverAlgorithm) and list it here;
// the Solver node's `algorithm` param is derived from this table.
import { euler } from './euler';
import { heun } from './heun';
import type { SolverAlgorithm } from './loop';

export const SOLVER_ALGORITHMS = {
  euler,
  heun,
} as const satisfies Record<string, SolverAlgorithm>;

export type SolverAlgorithmName = keyof typeof SOLVER_ALGORITHMS;

export const SOLVER_ALGORITHM_NAMES = Object.keys(SOLVER_ALGORITHMS) as [
  SolverAlgorithmName,
  ...SolverAlgorithmName[],
];

/** The algorithms that read the churn settings (s_churn, s_tmin, s_tmax, s_noise). */
export const CHURN_ALGORITHM_NAMES = SOLVER_ALGORITHM_NAMES.filter(
  (name) => SOLVER_ALGORITHMS[name].usesChurn,
);

export function getSolverAlgorithm(name: string): SolverAlgorithm {
  if (!Object.hasOwn(SOLVER_ALGORITHMS, name)) {
    throw new Error(
      `unknown solver algorithm "${name}"; known: ${SOLVER_ALGORITHM_NAMES.join(', ')}`,
    );
  }
  return SOLVER_ALGORITHMS[name as SolverAlgorithmName];
}
