// Help text and the error type for command lines that cannot be carried out as written.

export const HELP_TEXT = `principia: run Principia graph files without the app

Usage:
  principia run GRAPH.json [options]   run a graph and report per-node time and NFE
  principia train GRAPH.json --node ID [--steps N] [--json]
                                       train a learned node (MLP denoiser, flow map) and
                                       write its weights where its weights param says
  principia sweep GRAPH.json [--set NODE.PARAM=V1,V2,…]... [--train NODE]... [--json | --csv]
                                       run the graph over a grid of param values and report
                                       each point's NFE, time and Metrics-node numbers, and
                                       each solver's observed order (error vs NFE); learned
                                       nodes whose training the grid changes are trained
                                       per point
  principia sweep merge DIR [--json | --csv]
                                       put a sharded sweep's point files back together and
                                       report it as the sweep in one process would
  principia nodes [--json]             list the node types this version knows
  principia --help                     show this help

Options for run:
  --set NODE.PARAM=VALUE   override a param; VALUE is read as JSON when it parses, else as
                           text (--set solver.algorithm=heun, --set timesteps.steps=10).
                           File params given here resolve against the current directory;
                           paths written in the graph resolve against the graph's directory.
  --save NODE.PORT=FILE    after the run, write that output as a .npy file (samples,
                           dataset, trajectory, or a coupling's plan π)
  --allow-read DIR         let the graph read files in DIR too (repeatable); a graph reads
                           and writes only inside its own folder unless you say so
  --allow-write DIR        let the graph's save nodes write in DIR too (repeatable)
  --backend wasm|cpu       tfjs backend (default: wasm, much faster than cpu)
  --json                   print one JSON summary on stdout instead of the table

Options for sweep:
  --set NODE.PARAM=V1,V2,…  one axis of the grid (values split at top-level commas, each read
                           as for run); without any, the graph's own sweep is used
  --measure ID             the Metrics node to report (default: the only one)
  --allow-read, --allow-write, --backend, --json
                           as for run; --csv prints the grid as CSV
  --jobs N, -j N           run grid points in N worker processes (default: one per core
                           but one); results are the same as with --jobs 1
  --shard K/N              run only grid points K, K+N, K+2N, … (K from 0 to N−1, as
                           Kubernetes' JOB_COMPLETION_INDEX and Slurm's SLURM_ARRAY_TASK_ID
                           count); needs --out
  --out DIR                write one JSON file per grid point into DIR, for sweep merge
                           (docs/scale-out.md)
  --train NODE             train learned node NODE at every grid point (repeatable). A
                           learned node an axis sets a training param of (train_steps,
                           learning_rate, width, seed, …) is trained per point without it;
                           use --train when the axes change only its inputs (data.count).
                           Trained weights stay in memory: weights files are not written

Exit codes: 0 success, 1 a node failed while running, 2 bad graph or bad command line,
130 interrupted.

Example:
  principia run test/fixtures/kdiffusion-gmm.graph.json --set noise.path=x_T.npy \\
    --set timesteps.steps=10 --set solver.algorithm=heun --save solver.samples=out.npy
  principia sweep presets/error-vs-nfe.graph.json \\
    --set solver.algorithm=euler,heun,dpmpp_2m --set timesteps.steps=5,10,20,40
`;

/** A command line that is wrong as written; the message says what to change. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
