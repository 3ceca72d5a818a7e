// Command line → a typed request. Parsing only: nothing here touches files or the engine.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './usage';

export const BACKENDS = ['wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** `NODE.NAME=VALUE` split into its parts; `text` is the argument as typed, for messages. */
export interface TargetAssignment {
  readonly text: string;
  readonly nodeId: string;
  readonly name: string;
  readonly value: string;
}

/** Folders outside the graph's own that the user lets it reach (--allow-read, --allow-write). */
export interface FolderGrants {
  readonly allowRead: readonly string[];
  readonly allowWrite: readonly string[];
}

export interface RunRequest extends FolderGrants {
  readonly command: 'run';
  readonly graphPath: string;
  readonly sets: readonly TargetAssignment[];
  readonly saves: readonly TargetAssignment[];
  readonly backend: BackendName;
  readonly json: boolean;
}

export interface NodesRequest {
  readonly command: 'nodes';
  readonly json: boolean;
}

export interface HelpRequest {
  readonly command: 'help';
}

export interface TrainRequest extends FolderGrants {
  readonly command: 'train';
  readonly graphPath: string;
  readonly nodeId: string;
  /** Overrides the node's train_steps param. */
  readonly steps?: number;
  readonly backend: BackendName;
  readonly json: boolean;
}

export interface SweepRequest extends FolderGrants {
  readonly command: 'sweep';
  readonly graphPath: string;
  /** `--set NODE.PARAM=V1,V2,…`: one grid axis each (a single value just sets the param). */
  readonly sets: readonly TargetAssignment[];
  readonly measure?: string;
  readonly backend: BackendName;
  readonly format: 'table' | 'json' | 'csv';
  /** `--jobs N`: worker processes (default: one per core but one, at least 1). */
  readonly jobs?: number;
  /** `--shard K/N`: run grid points K, K+N, K+2N, … only (K from 0, as Kubernetes counts). */
  readonly shard?: ShardSpec;
  /** `--out DIR`: write one JSON file per grid point into DIR. */
  readonly out?: string;
  /** `--train NODE`: train these learned nodes at every grid point (compare/sweep-training.ts). */
  readonly train?: readonly string[];
}

/** The K-th of N interleaved parts of a grid: the points whose index is K modulo N. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** `principia sweep merge DIR`: the point files of a sharded sweep as one result. */
export interface SweepMergeRequest {
  readonly command: 'sweep-merge';
  readonly folder: string;
  readonly format: 'table' | 'json' | 'csv';
}

/** Internal: a worker process of `sweep --jobs N`, driven by its parent over IPC. */
export interface SweepWorkerRequest {
  readonly command: 'sweep-worker';
}

export type CliRequest =
  | RunRequest
  | NodesRequest
  | TrainRequest
  | SweepRequest
  | SweepMergeRequest
  | SweepWorkerRequest
  | HelpRequest;

export function parseCommandLine(argv: readonly string[]): CliRequest {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help' };
  }
  if (command === 'run') return parseRun(rest);
  if (command === 'nodes') return parseNodes(rest);
  if (command === 'train') return parseTrain(rest);
  if (command === 'sweep')
    return rest[0] === 'merge' ? parseMerge(rest.slice(1)) : parseSweep(rest);
  if (command === 'sweep-worker' && rest.length === 0) return { command: 'sweep-worker' };
  throw new UsageError(
    `unknown command "${command}"; the commands are "run", "sweep", "train" and "nodes"`,
  );
}

function parseRun(args: readonly string[]): RunRequest | HelpRequest {
  const { values, positionals } = parseStrictly(args, {
    set: { type: 'string', multiple: true },
    save: { type: 'string', multiple: true },
    ...GRANT_OPTIONS,
    backend: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help' };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'run needs a graph file: principia run GRAPH.json'
        : `run takes one graph file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const backend = values.backend ?? 'wasm';
  if (!isBackendName(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got "${backend}")`);
  }
  return {
    command: 'run',
    graphPath: positionals[0]!,
    sets: (values.set ?? []).map((text) => parseAssignment(text, '--set', 'NODE.PARAM=VALUE')),
    saves: (values.save ?? []).map((text) => parseAssignment(text, '--save', 'NODE.PORT=FILE')),
    ...grantsOf(values),
    backend,
    json: values.json === true,
  };
}

const GRANT_OPTIONS = {
  'allow-read': { type: 'string', multiple: true },
  'allow-write': { type: 'string', multiple: true },
} as const;

function grantsOf(values: { 'allow-read'?: string[]; 'allow-write'?: string[] }): FolderGrants {
  return { allowRead: values['allow-read'] ?? [], allowWrite: values['allow-write'] ?? [] };
}

function parseTrain(args: readonly string[]): TrainRequest | HelpRequest {
  const { values, positionals } = parseStrictly(args, {
    node: { type: 'string' },
    steps: { type: 'string' },
    ...GRANT_OPTIONS,
    backend: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help' };
  if (positionals.length !== 1) {
    throw new UsageError('train needs one graph file: principia train GRAPH.json --node ID');
  }
  if (!values.node) throw new UsageError('train needs --node ID: the node to train');
  let steps: number | undefined;
  if (values.steps !== undefined) {
    steps = Number(values.steps);
    if (!Number.isInteger(steps) || steps < 1) {
      throw new UsageError(`--steps must be a whole number ≥ 1 (got "${values.steps}")`);
    }
  }
  const backend = values.backend ?? 'wasm';
  if (!isBackendName(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got "${backend}")`);
  }
  return {
    command: 'train',
    graphPath: positionals[0]!,
    nodeId: values.node,
    ...(steps !== undefined ? { steps } : {}),
    ...grantsOf(values),
    backend,
    json: values.json === true,
  };
}

function parseSweep(args: readonly string[]): SweepRequest | HelpRequest {
  const { values, positionals } = parseStrictly(args, {
    set: { type: 'string', multiple: true },
    measure: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    shard: { type: 'string' },
    out: { type: 'string' },
    train: { type: 'string', multiple: true },
    ...GRANT_OPTIONS,
    backend: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help' };
  if (positionals.length !== 1) {
    throw new UsageError('sweep needs one graph file: principia sweep GRAPH.json --set …');
  }
  if (values.json && values.csv) throw new UsageError('give --json or --csv, not both');
  const backend = values.backend ?? 'wasm';
  if (!isBackendName(backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got "${backend}")`);
  }
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && values.out === undefined) {
    throw new UsageError('--shard needs --out DIR: the folder its point files go to');
  }
  if (values.out === '') throw new UsageError('--out needs a folder');
  return {
    command: 'sweep',
    graphPath: positionals[0]!,
    sets: (values.set ?? []).map((text) => parseAssignment(text, '--set', 'NODE.PARAM=V1,V2,…')),
    ...(values.measure ? { measure: values.measure } : {}),
    ...grantsOf(values),
    backend,
    format: values.json ? 'json' : values.csv ? 'csv' : 'table',
    ...(values.jobs !== undefined ? { jobs: parseJobs(values.jobs) } : {}),
    ...(shard ? { shard } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.train?.length ? { train: values.train.map(trainedNodeId) } : {}),
  };
}

function trainedNodeId(text: string): string {
  if (text.trim() === '') throw new UsageError('--train needs a node id: --train denoiser');
  return text;
}

/** More worker processes than this is a typo, not a machine. */
export const MAX_JOBS = 1024;

function parseJobs(text: string): number {
  const jobs = /^\d+$/u.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) {
    throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS} (got "${text}")`);
  }
  return jobs;
}

/** Shards of one sweep at most (each writes at least one point file). */
export const MAX_SHARDS = 100_000;

/** `K/N`, K counted from 0 (Kubernetes' JOB_COMPLETION_INDEX, Slurm's SLURM_ARRAY_TASK_ID). */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/u.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new UsageError(
      `--shard must be K/N with N from 1 to ${MAX_SHARDS} and K from 0 to N−1, e.g. --shard 0/4 (got "${text}")`,
    );
  }
  if (!(index < count)) {
    throw new UsageError(
      `--shard ${text}: K counts from 0, so the shards of ${count} are 0/${count} to ${count - 1}/${count}`,
    );
  }
  return { index, count };
}

function parseMerge(args: readonly string[]): SweepMergeRequest | HelpRequest {
  const { values, positionals } = parseStrictly(args, {
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help' };
  if (positionals.length !== 1) {
    throw new UsageError(
      'sweep merge needs one folder: principia sweep merge DIR [--json | --csv]',
    );
  }
  if (values.json && values.csv) throw new UsageError('give --json or --csv, not both');
  return {
    command: 'sweep-merge',
    folder: positionals[0]!,
    format: values.json ? 'json' : values.csv ? 'csv' : 'table',
  };
}

function parseNodes(args: readonly string[]): NodesRequest | HelpRequest {
  const { values, positionals } = parseStrictly(args, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help' };
  if (positionals.length) {
    throw new UsageError(`nodes takes no arguments (got ${positionals.join(' ')})`);
  }
  return { command: 'nodes', json: values.json === true };
}

/** node:util's parseArgs, with its errors turned into usage errors. */
function parseStrictly<const O extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true as const });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Splits `NODE.NAME=VALUE` at the first "." and the first "=" (ids and names hold neither). */
export function parseAssignment(text: string, flag: string, shape: string): TargetAssignment {
  const equals = text.indexOf('=');
  const target = equals < 0 ? text : text.slice(0, equals);
  const dot = target.indexOf('.');
  if (equals < 0 || dot <= 0 || dot === target.length - 1) {
    throw new UsageError(`${flag} "${text}": expected ${shape}`);
  }
  return {
    text,
    nodeId: target.slice(0, dot),
    name: target.slice(dot + 1),
    value: text.slice(equals + 1),
  };
}

function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}
