// `principia sweep`: the graph over a grid of param values, one row per grid point (NFE, the
// solver's wall time, the Metrics node's numbers) and each solver's observed order.
//
// `--jobs N` runs the grid points in N worker processes (sweep-jobs.ts); `--shard K/N` runs only
// the points K, K+N, K+2N, …; `--out DIR` writes each point as a JSON file (sweep-points.ts), which
// `principia sweep merge DIR` (sweep-merge-command.ts) puts back together.
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { catalogue, parseGraphText, parseParamValue, splitValueList } from '../index';
import type { GraphDocument, SweepAxis } from '../core/document';
import { SweepRunner, sweepResultOf, type SweepPoint } from '../compare/sweep';
import type { SweepRequest, TargetAssignment } from './arguments';
import type { CommandOutput } from './command-output';
import { withEngine } from './engine-session';
import { graphFilePolicy, type GraphFilePolicy } from './file-policy';
import { isFileParam } from './param-overrides';
import { progressBar } from './progress-bar';
import { readGraphFile } from './run-command';
import { runInWorkers, type WorkerSetup } from './sweep-jobs';
import {
  shardIndices,
  sweepIdentity,
  writePointFile,
  type PointRecord,
  type SweepIdentity,
} from './sweep-points';
import { printSweepResult } from './sweep-report';
import { UsageError } from './usage';

/** One process per core but one (the parent's, and whatever else runs), at least one. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function sweepCommand(request: SweepRequest, output: CommandOutput): Promise<number> {
  const cwd = process.cwd();
  const graphText = await readGraphFile(request.graphPath);
  const { graph, runner, policy } = prepareSweep(graphText, request, cwd);
  const training = describeTraining(runner);
  if (training) output.stderr(training);
  const total = runner.grid.length;
  const indices = shardIndices(total, request.shard);
  const jobs = Math.min(request.jobs ?? defaultJobs(), Math.max(indices.length, 1));
  const shards = request.shard?.count ?? 1;
  const identity = sweepIdentity(graph, runner, catalogue, request.backend, shards);
  const out = request.out === undefined ? undefined : resolve(cwd, request.out);
  // Before anything runs: a folder that cannot be made must not cost a sweep's worth of work.
  if (out !== undefined) {
    await mkdir(out, { recursive: true }).catch((error: unknown) => {
      throw new UsageError(
        `--out ${request.out}: cannot make the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    });
  }

  const points = new Map<number, SweepPoint>();
  const bar = progressBar(
    output,
    indices.length,
    request.shard ? `shard ${request.shard.index}/${shards}` : 'sweep',
  );
  const onPoint = async (index: number, point: SweepPoint, pointMs: number) => {
    points.set(index, point);
    if (out !== undefined) {
      await writePointFile(out, pointRecord(identity, request, index, point, pointMs));
    }
    bar.tick();
  };

  let cancelled: boolean;
  try {
    cancelled =
      jobs > 1
        ? await runParallel({ graphText, request, cwd }, runner, policy, indices, jobs, onPoint)
        : await runInProcess(runner, policy, request, indices, onPoint);
  } finally {
    bar.clear();
  }
  const result = sweepResultOf(
    runner,
    indices.flatMap((index) => points.get(index) ?? []),
    cancelled,
  );
  if (out !== undefined) {
    output.stderr(
      `wrote ${points.size} point file${points.size === 1 ? '' : 's'} to ${request.out}` +
        (request.shard ? ` (shard ${request.shard.index}/${shards} of ${total} points)\n` : '\n'),
    );
  }
  return printSweepResult(result, request.format, output);
}

async function runInProcess(
  runner: SweepRunner,
  policy: GraphFilePolicy,
  request: SweepRequest,
  indices: readonly number[],
  onPoint: (index: number, point: SweepPoint, pointMs: number) => Promise<void>,
): Promise<boolean> {
  return withEngine(policy, request.backend, async ({ executor, signal }) => {
    for (const index of indices) {
      const started = performance.now();
      const point = await runner.run(index, executor, signal);
      if (!point) return true;
      await onPoint(index, point, performance.now() - started);
    }
    return false;
  });
}

/** This process and `jobs − 1` workers, handed points as they free up. */
async function runParallel(
  setup: WorkerSetup,
  runner: SweepRunner,
  policy: GraphFilePolicy,
  indices: readonly number[],
  jobs: number,
  onPoint: (index: number, point: SweepPoint, pointMs: number) => Promise<void>,
): Promise<boolean> {
  return withEngine(policy, setup.request.backend, async ({ executor, signal }) => {
    const { cancelled } = await runInWorkers(setup, indices, jobs - 1, {
      signal,
      onPoint,
      local: (index, stop) => runner.run(index, executor, AbortSignal.any([signal, stop])),
    });
    return cancelled;
  });
}

/**
 * The graph, its grid and where it may read and write, from the command line: what a
 * one-process sweep sets up, and what each worker process sets up again from the same text.
 * Every grid point compiles here, so a typo fails before anything runs.
 */
export function prepareSweep(
  graphText: string,
  request: SweepRequest,
  cwd: string,
  compile: 'all' | 'lazily' = 'all',
): { graph: GraphDocument; runner: SweepRunner; policy: GraphFilePolicy } {
  const file = request.graphPath;
  const graph = parseGraphText(graphText, file);
  const chosenFiles = new Set<string>();
  const axes = request.sets.length
    ? request.sets.map((assignment) => toAxis(assignment, graph.nodes, cwd, chosenFiles))
    : undefined;
  const policy = graphFilePolicy(file, request, chosenFiles, cwd);
  const runner = new SweepRunner(
    graph,
    {
      catalogue,
      trustedPath: policy.trustedPath,
      ...(axes ? { axes } : {}),
      ...(request.measure ? { measure: request.measure } : {}),
      ...(request.train ? { train: request.train } : {}),
      file,
    },
    compile === 'all' ? undefined : [],
  );
  return { graph, runner, policy };
}

/**
 * Which nodes the sweep trains at each point and why, said once: training is the slow part of
 * such a sweep, and the user's weights files are not what it measures.
 */
function describeTraining(runner: SweepRunner): string | undefined {
  if (runner.trained.length === 0) return undefined;
  const nodes = runner.trained.map(
    ({ nodeId, reasons }) =>
      `"${nodeId}" (${reasons.map((reason) => (reason === '--train' ? reason : `axis ${reason}`)).join(', ')})`,
  );
  return (
    `sweep: trains ${nodes.join(', ')} for each grid point that needs new weights, in memory: ` +
    'weights files on disk are neither read nor written for it\n'
  );
}

function pointRecord(
  identity: SweepIdentity,
  request: SweepRequest,
  index: number,
  point: SweepPoint,
  pointMs: number,
): PointRecord {
  return {
    format: 'principia.sweep-point',
    version: 1,
    ...identity,
    shard: index % identity.shards,
    command: {
      graph: request.graphPath,
      sets: request.sets.map((assignment) => assignment.text),
      ...(request.measure !== undefined ? { measure: request.measure } : {}),
      ...(request.train ? { train: [...request.train] } : {}),
      backend: request.backend,
      allowRead: [...request.allowRead],
      allowWrite: [...request.allowWrite],
    },
    point: { index, ...point },
    timings: { pointMs, finishedAt: new Date().toISOString() },
  };
}

/**
 * `solver.algorithm=euler,heun` → an axis; values split at commas outside brackets and quotes.
 * File paths resolve against `cwd` and join `chosenFiles`: the user named them.
 */
function toAxis(
  assignment: TargetAssignment,
  nodes: readonly { id: string; type: string }[],
  cwd: string,
  chosenFiles: Set<string>,
): SweepAxis {
  const texts = splitValueList(assignment.value);
  if (texts.some((text) => text === '')) {
    throw new UsageError(`--set "${assignment.text}" has an empty value in its list`);
  }
  const type = nodes.find((node) => node.id === assignment.nodeId)?.type;
  const definition = type ? catalogue.get(type) : undefined;
  const isFile = definition !== undefined && isFileParam(definition, assignment.name);
  return {
    target: `${assignment.nodeId}.${assignment.name}`,
    values: texts.map((text) => {
      if (!isFile) return parseParamValue(text);
      const path = resolve(cwd, text);
      chosenFiles.add(path);
      return path;
    }),
  };
}
