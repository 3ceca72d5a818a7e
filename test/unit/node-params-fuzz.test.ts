// A seeded fuzzer over every node type's params. Graph files are untrusted: a bad param must be a
// GraphError at compile time (naming node and param), and a node that compiles must either run or
// fail with an Error that says what is wrong — never a TypeError, RangeError or ReferenceError
// from inside the engine. For each node type it takes the defaults, mutates params (empty,
// ragged, short and long arrays, zero, negative, tiny and huge numbers, bounds ± 1, wrong types,
// extra nesting), sends them through JSON as a graph file would, compiles the node with suitable
// upstream nodes and a downstream consumer that uses its output (a solver for a denoiser, a
// flow-map sampler for a flow map, …), and runs it on in-memory files.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  compileGraph,
  describeCatalogue,
  Executor,
  GraphError,
  type GraphDocument,
} from '../../graph-nodes';
import { createCatalogue } from '../../graph-nodes/core/catalogue';
import type { AnyNodeDefinition, FileHost } from '../../graph-nodes/core/node-definition';
import { shapeSize, type PointShape } from '../../graph-nodes/core/shapes';
import { encodeNpy } from '../../graph-nodes/math/npy';
import { createRng, type Rng } from '../../graph-nodes/math/rng';
import { initialParameters } from '../../graph-nodes/neural/mlp';
import { architectureFor } from '../../graph-nodes/neural/mlp-denoiser';
import { encodeWeights, type LearnedModelKind } from '../../graph-nodes/neural/weights-file';
import { gaussianDenoiserModel } from './helpers/onnx-test-models';
import { memoryFiles } from './helpers/run-context';

const SEED = 20240611;
/** Random multi-param cases per node type, on top of every single-param mutation. */
const RANDOM_CASES_PER_NODE = 60;
/** Error classes that mean an internal bug rather than a refused input. */
const INTERNAL_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError']);

// ---------------------------------------------------------------------------------------------
// Files the graphs may name (all in memory).

function learnedWeights(kind: LearnedModelKind, manifestPath: string): Record<string, Uint8Array> {
  // The nodes' default network (width 128, depth 3, 8 time features), untrained: enough to run.
  const architecture = architectureFor(
    { width: 128, depth: 3, frequencies: 8 },
    2,
    kind === 'mlp-denoiser' || kind === 'consistency-flowmap' ? 1 : 2,
  );
  const { manifest, bin } = encodeWeights(
    {
      model: kind,
      architecture,
      sigmaData: 1,
      ...(kind === 'mlp-denoiser' ? {} : { epsilon: 0.002 }),
      training: {},
      parameters: initialParameters(architecture, 1),
    },
    manifestPath,
  );
  return { [manifestPath]: manifest, [manifestPath.replace(/\.json$/, '.bin')]: bin };
}

function fixtureFiles(): Record<string, Uint8Array> {
  const rng = createRng(7);
  // 30 images of each class: enough for the default count (200) and for too many.
  const fashionCount = 300;
  const pixels = new Uint8Array(fashionCount * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rng.uniform() * 256);
  return {
    'points.npy': encodeNpy(rng.fillNormal(new Float32Array(12 * 2)), [12, 2]),
    'images.npy': encodeNpy(rng.fillNormal(new Float32Array(6 * 16)), [6, 1, 4, 4]),
    'empty.npy': encodeNpy(new Float32Array(0), [0, 2]),
    'scalar.npy': encodeNpy(Float32Array.of(1), []),
    'data/fashion-mnist-subset.npy': encodeNpy(pixels, [fashionCount, 784]),
    'data/fashion-mnist-subset-labels.npy': encodeNpy(
      Uint8Array.from({ length: fashionCount }, (_, i) => i % 10),
      [fashionCount],
    ),
    'model.onnx': gaussianDenoiserModel({ shape: [2], means: [Float32Array.of(0, 0)], std: 1 }),
    ...learnedWeights('mlp-denoiser', 'weights/denoiser.json'),
    ...learnedWeights('consistency-flowmap', 'weights/consistency.json'),
    ...learnedWeights('ctm-flowmap', 'weights/ctm.json'),
    ...learnedWeights('meanflow-flowmap', 'weights/meanflow.json'),
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations of one param value.

interface ParamSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: ParamSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

const PATH_STRINGS = [
  '',
  ' ',
  'x',
  'points.npy',
  'images.npy',
  'empty.npy',
  'scalar.npy',
  'model.onnx',
  'weights/denoiser.json',
  'weights/ctm.json',
  '../outside.npy',
  'a'.repeat(300),
];

const WRONG_TYPES: unknown[] = ['1', null, true, {}, [[]]];

function numberMutations(value: number | undefined, schema: ParamSchema): unknown[] {
  const v = value ?? 1;
  const bounds = [schema.minimum, schema.maximum, schema.exclusiveMinimum, schema.exclusiveMaximum]
    .filter((bound): bound is number => bound !== undefined && Math.abs(bound) < 1e15)
    .flatMap((bound) => [bound, bound - 1, bound + 1, bound - 1e-9, bound + 1e-9]);
  return [
    0,
    -1,
    1,
    0.5,
    2,
    -v,
    v * 10,
    v * 1e6,
    v + 0.5,
    1e-300,
    -1e-300,
    1e300,
    1e308,
    -1e308,
    2 ** 31,
    Number.MAX_SAFE_INTEGER,
    ...bounds,
    [v],
    ...WRONG_TYPES,
  ];
}

function arrayMutations(value: unknown[]): unknown[] {
  const first = value[0];
  const mutations: unknown[] = [
    [],
    value.slice(0, 1),
    value.slice(0, -1),
    [...value, first],
    [value],
    Array.from({ length: 2000 }, () => first),
    'x',
    null,
  ];
  const replaceOne = (index: number, replacement: unknown) =>
    value.map((item, k) => (k === index ? replacement : item));
  const last = value.length - 1;
  for (const bad of [0, -1, 1e-300, 1e300, 1e308, -1e308, 'x', null, [1], []]) {
    mutations.push(replaceOne(last, bad));
  }
  for (const every of [0, -1, 1e308]) mutations.push(value.map(() => every));
  if (Array.isArray(first)) {
    // Arrays of arrays (mixture means): ragged, empty and oversized rows, nested once more.
    mutations.push(
      [[]],
      value.map(() => []),
      replaceOne(last, (first as unknown[]).slice(0, -1)),
      replaceOne(last, [...(first as unknown[]), 0]),
      value.map((row) => [...(row as unknown[]), 0]),
      value.map((row) => (row as unknown[]).map((x) => [x])),
      value.map((row) => (row as unknown[]).map(() => 1e308)),
      value.map(() => Array.from({ length: 5000 }, () => 0)),
      replaceOne(last, [1e308, -1e308]),
    );
  } else {
    mutations.push(value.map((x) => [x]));
  }
  return mutations;
}

/** Every mutation of a param whose default is `value`. */
function mutationsOf(value: unknown, schema: ParamSchema): unknown[] {
  const enumOptions = schema.enum ?? schema.anyOf?.flatMap((option) => option.enum ?? []);
  if (enumOptions?.length) return [...enumOptions, 'bogus', 0, null, ['x']];
  if (typeof value === 'number' || (value === undefined && schema.type !== 'string')) {
    return numberMutations(value as number | undefined, schema);
  }
  if (typeof value === 'string') {
    const extra = value === 'all' ? [[], [0], [9], [10], [-1], [0, 0, 0], [3.5], [[0]]] : [];
    return [...PATH_STRINGS, ...extra, 5, null, ['x']];
  }
  if (typeof value === 'boolean') return [!value, 'yes', 1, null];
  if (Array.isArray(value)) return arrayMutations(value);
  return WRONG_TYPES;
}

// ---------------------------------------------------------------------------------------------
// The graph around the node under test.

interface Wire {
  readonly from: string;
  readonly to: string;
}
interface Graph {
  nodes: GraphDocument['nodes'];
  wires: Wire[];
}

const SCHEDULES = [
  'edm-schedule',
  'ddpm-schedule',
  'vp-linear-schedule',
  'vp-cosine-schedule',
  've-schedule',
  'rectified-flow-schedule',
];

function addNode(graph: Graph, id: string, type: string, params: Record<string, unknown> = {}) {
  if (graph.nodes.some((node) => node.id === id)) return;
  graph.nodes.push({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, params });
}

function toDocument(graph: Graph): GraphDocument {
  const edges = graph.wires.map(({ from, to }) => {
    const [fromNode, fromPort] = from.split('.') as [string, string];
    const [toNode, toPort] = to.split('.') as [string, string];
    return { from: { node: fromNode, port: fromPort }, to: { node: toNode, port: toPort } };
  });
  return { format: 'principia.graph', version: 2, nodes: graph.nodes, edges, groups: [] };
}

/** Upstream sources by value type: each adds its node (and its own inputs) and names its port. */
type Source = (graph: Graph, rng: Rng) => string;

const pick = <T>(rng: Rng, items: readonly T[]): T =>
  items[Math.floor(rng.uniform() * items.length)]!;

const sources: Record<string, Source[]> = {
  schedule: [
    (graph, rng) => {
      addNode(graph, 'src_schedule', pick(rng, SCHEDULES));
      return 'src_schedule.schedule';
    },
  ],
  timesteps: [
    (graph, rng) => {
      const schedule = sources.schedule![0]!(graph, rng);
      addNode(graph, 'src_timesteps', 'karras-timesteps', { steps: 3 });
      graph.wires.push({ from: schedule, to: 'src_timesteps.schedule' });
      return 'src_timesteps.timesteps';
    },
  ],
  samples: [
    (graph, rng) => {
      const timesteps = sources.timesteps![0]!(graph, rng);
      addNode(graph, 'src_noise', 'gaussian-prior', { count: 6, dim: 2 });
      graph.wires.push({ from: timesteps, to: 'src_noise.timesteps' });
      return 'src_noise.samples';
    },
    (graph, rng) => {
      const timesteps = sources.timesteps![0]!(graph, rng);
      addNode(graph, 'src_noise_5', 'gaussian-prior', { count: 5, dim: 2, seed: 1 });
      graph.wires.push({ from: timesteps, to: 'src_noise_5.timesteps' });
      return 'src_noise_5.samples';
    },
    (graph) => {
      addNode(graph, 'src_points', 'load-npy', { path: 'points.npy' });
      return 'src_points.samples';
    },
    (graph) => {
      addNode(graph, 'src_images', 'load-npy', { path: 'images.npy' });
      return 'src_images.samples';
    },
  ],
  dataset: [
    (graph) => {
      addNode(graph, 'src_data', 'toy-data-2d', { count: 24 });
      return 'src_data.dataset';
    },
    (graph) => {
      addNode(graph, 'src_fashion', 'fashion-mnist', { count: 10 });
      return 'src_fashion.dataset';
    },
  ],
  denoiser: [
    (graph) => {
      addNode(graph, 'src_denoiser', 'gmm-denoiser');
      return 'src_denoiser.denoiser';
    },
    (graph) => {
      addNode(graph, 'src_denoiser_class', 'labelled-gmm-denoiser', { class: 1 });
      return 'src_denoiser_class.denoiser';
    },
  ],
  classifier: [
    (graph) => {
      addNode(graph, 'src_classifier', 'exact-classifier');
      return 'src_classifier.classifier';
    },
    (graph) => {
      const data = sources.dataset![0]!(graph, createRng(0));
      addNode(graph, 'src_data_classifier', 'empirical-classifier');
      graph.wires.push({ from: data, to: 'src_data_classifier.data' });
      return 'src_data_classifier.classifier';
    },
  ],
  flowmap: [
    (graph) => {
      addNode(graph, 'src_flowmap', 'gaussian-flowmap');
      return 'src_flowmap.flowmap';
    },
  ],
  coupling: [
    (graph, rng) => {
      const data = sources.dataset![0]!(graph, rng);
      addNode(graph, 'src_ot', 'entropic-ot', { epsilon: 0.5 });
      graph.wires.push({ from: data, to: 'src_ot.source' }, { from: data, to: 'src_ot.target' });
      return 'src_ot.coupling';
    },
  ],
  trajectory: [
    (graph, rng) => {
      const noise = sources.samples![0]!(graph, rng);
      const denoiser = sources.denoiser![0]!(graph, rng);
      addNode(graph, 'src_solver', 'solver', { algorithm: 'euler' });
      graph.wires.push(
        { from: noise, to: 'src_solver.noise' },
        { from: denoiser, to: 'src_solver.denoiser' },
        { from: 'src_timesteps.timesteps', to: 'src_solver.timesteps' },
      );
      return 'src_solver.trajectory';
    },
  ],
};

/** The graph with the node under test ("target") and one source on each input it is given. */
function graphAround(definition: AnyNodeDefinition, params: unknown, rng: Rng): Graph {
  const graph: Graph = { nodes: [], wires: [] };
  addNode(graph, 'target', definition.type, params as Record<string, unknown>);
  for (const [port, spec] of Object.entries(definition.inputs)) {
    if (!spec.required && rng.uniform() < 0.4) continue;
    const candidates = spec.accepts.flatMap((type) => sources[type] ?? []);
    const source = pick(rng, candidates)(graph, rng);
    graph.wires.push({ from: source, to: `target.${port}` });
  }
  return graph;
}

/** A mixture denoiser over points of `shape` (zeros and ones), for consumers of that shape. */
function gmmOver(shape: PointShape): Record<string, unknown> {
  const dim = shapeSize(shape);
  return {
    weights: [1, 1],
    means: [new Array<number>(dim).fill(0), new Array<number>(dim).fill(1)],
    stds: [0.5, 0.5],
  };
}

/**
 * Adds nodes that use the target's output (so the values it makes are evaluated, not only
 * built) and returns the node to run. `shape` is the per-point shape the target's output has.
 */
function addConsumer(graph: Graph, definition: AnyNodeDefinition, shape: PointShape): string {
  const outputTypes = Object.values(definition.outputs).map((output) => output.type);
  const noiseFor = (timesteps: string) => {
    addNode(graph, 'use_noise', 'gaussian-prior', { count: 6, shape: [...shape] });
    graph.wires.push({ from: timesteps, to: 'use_noise.timesteps' });
    return 'use_noise.samples';
  };
  const stepsFrom = (schedule: string) => {
    addNode(graph, 'use_timesteps', 'karras-timesteps', { steps: 3 });
    graph.wires.push({ from: schedule, to: 'use_timesteps.schedule' });
    return 'use_timesteps.timesteps';
  };
  const solve = (noise: string, denoiser: string, timesteps: string) => {
    addNode(graph, 'use_solver', 'solver', { algorithm: 'heun' });
    graph.wires.push(
      { from: noise, to: 'use_solver.noise' },
      { from: denoiser, to: 'use_solver.denoiser' },
      { from: timesteps, to: 'use_solver.timesteps' },
    );
    return 'use_solver';
  };
  const defaultSchedule = () => {
    addNode(graph, 'use_schedule', 'edm-schedule');
    return stepsFrom('use_schedule.schedule');
  };
  const modelDenoiser = () => {
    addNode(graph, 'use_denoiser', 'gmm-denoiser', gmmOver(shape));
    return 'use_denoiser.denoiser';
  };
  const [first] = outputTypes;
  if (outputTypes.includes('trajectory')) {
    addNode(graph, 'use_metrics', 'metrics', { projections: 4, max_points: 16 });
    graph.wires.push(
      { from: 'target.samples', to: 'use_metrics.samples' },
      { from: 'target.trajectory', to: 'use_metrics.trajectory' },
    );
    return 'use_metrics';
  }
  switch (first) {
    case 'schedule': {
      const timesteps = stepsFrom('target.schedule');
      return solve(noiseFor(timesteps), modelDenoiser(), timesteps);
    }
    case 'timesteps':
      return solve(noiseFor('target.timesteps'), modelDenoiser(), 'target.timesteps');
    case 'denoiser': {
      const timesteps = defaultSchedule();
      return solve(noiseFor(timesteps), 'target.denoiser', timesteps);
    }
    case 'classifier': {
      const timesteps = defaultSchedule();
      addNode(graph, 'use_guidance', 'classifier-guidance', { class: 1 });
      graph.wires.push(
        { from: modelDenoiser(), to: 'use_guidance.denoiser' },
        { from: 'target.classifier', to: 'use_guidance.classifier' },
      );
      return solve(noiseFor(timesteps), 'use_guidance.denoiser', timesteps);
    }
    case 'flowmap': {
      const timesteps = defaultSchedule();
      addNode(graph, 'use_sampler', 'flowmap-sampler', { jumps: 2, gamma: 0.5 });
      graph.wires.push(
        { from: noiseFor(timesteps), to: 'use_sampler.noise' },
        { from: 'target.flowmap', to: 'use_sampler.flowmap' },
        { from: timesteps, to: 'use_sampler.timesteps' },
      );
      return 'use_sampler';
    }
    case 'samples':
    case 'dataset': {
      // Written out, which reads every value: cheap even for the million points a count allows.
      addNode(graph, 'use_save', 'save-npy', { path: 'out.npy' });
      graph.wires.push({ from: `target.${first}`, to: 'use_save.value' });
      return 'use_save';
    }
    default:
      return 'target';
  }
}

// ---------------------------------------------------------------------------------------------
// Running one case.

interface Finding {
  readonly node: string;
  readonly params: string;
  readonly stage: 'compile' | 'probe' | 'run';
  readonly error: string;
}

type Outcome = 'refused' | 'ran' | 'failed cleanly' | 'harness' | 'bug';

/** Run errors that are not bugs, for FUZZ_REPORT=1 (is each about something only a run can know?). */
const cleanFailures: Finding[] = [];

/** Errors thrown by node runs, by node id, for the case being run (the executor keeps only text). */
const thrownByNode = new Map<string, unknown>();

const fuzzCatalogue = createCatalogue(
  catalogue.list().map((definition) => ({
    ...definition,
    async run(inputs: never, ctx: { nodeId: string }) {
      try {
        return await definition.run(inputs, ctx as never);
      } catch (error) {
        thrownByNode.set(ctx.nodeId, error);
        throw error;
      }
    },
  })) as AnyNodeDefinition[],
);

function errorClass(error: unknown): string {
  return error instanceof Error ? error.constructor.name : `non-Error ${typeof error}`;
}

/**
 * Messages of JavaScript's own errors, also when a node re-threw one as a plain Error, and an
 * absent value in a message ("stds[3] = undefined"): the code read past what it checked.
 */
const INTERNAL_MESSAGES =
  /Cannot read propert|is not a function|is not iterable|is not defined|Invalid array length|Maximum call stack|\bundefined\b/;

/** An internal bug: not an Error, or a JavaScript error, itself or as a cause of the one thrown. */
function isInternal(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 8; depth++) {
    const { name } = cause.constructor;
    if (INTERNAL_ERRORS.has(name) || !cause.message || INTERNAL_MESSAGES.test(cause.message)) {
      return true;
    }
    cause = cause.cause;
  }
  return false;
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${errorClass(error)}: ${message.slice(0, 200)}`;
}

async function runCase(
  definition: AnyNodeDefinition,
  params: Record<string, unknown>,
  caseSeed: number,
  files: FileHost,
  findings: Finding[],
): Promise<Outcome> {
  // Through JSON, as a graph file brings them.
  const jsonParams = JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
  const text = JSON.stringify(jsonParams).slice(0, 400);
  const report = (stage: Finding['stage'], error: unknown): Outcome => {
    findings.push({ node: definition.type, params: text, stage, error: describeError(error) });
    return 'bug';
  };

  const rng = createRng(caseSeed);
  const graph = graphAround(definition, jsonParams, rng);
  let plan;
  try {
    plan = compileGraph(toDocument(graph), fuzzCatalogue);
  } catch (error) {
    return error instanceof GraphError ? 'refused' : report('compile', error);
  }
  // With the node's output shape known, add a consumer of that shape and compile again.
  const facts = plan.facts.get('target') ?? {};
  const shape = Object.values(facts).find((port) => port.shape)?.shape ?? [2];
  const runTarget = addConsumer(graph, definition, shape);
  try {
    plan = compileGraph(toDocument(graph), fuzzCatalogue);
  } catch (error) {
    return error instanceof GraphError ? 'harness' : report('compile', error);
  }

  const executor = new Executor({ files });
  thrownByNode.clear();
  const tensorsBefore = tf.memory().numTensors;
  try {
    try {
      plan = await executor.probe(plan);
    } catch (error) {
      return error instanceof GraphError ? 'refused' : report('probe', error);
    }
    const summary = await executor.run(plan, { targets: [runTarget] });
    if (summary.ok) return 'ran';
    const failed = summary.error?.nodeId ?? '';
    const error = thrownByNode.get(failed) ?? new Error(summary.error?.message);
    if (isInternal(error)) return report('run', error);
    // A source failing is a bug in this harness, not in the node under test.
    if (failed.startsWith('src_')) return report('run', error);
    cleanFailures.push({
      node: definition.type,
      params: text,
      stage: 'run',
      error: `${failed}: ${describeError(error)}`,
    });
    return 'failed cleanly';
  } catch (error) {
    return report('run', error);
  } finally {
    executor.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) report('run', new Error(`${leaked} tensors left after the run`));
  }
}

/**
 * Params to start from where the defaults leave a file unset ('' is refused at run time: a node
 * just added is not configured yet, which is not a bad graph).
 */
const CONFIGURED: Record<string, Record<string, unknown>> = {
  'load-npy': { path: 'points.npy' },
  'onnx-denoiser': { path: 'model.onnx' },
  'save-npy': { path: 'out.npy' },
  'save-image-grid': { path: 'out.png', image_width: 2, image_height: 1 },
};

/** Each node type's params as JSON Schema (their ranges and options), by type. */
const PARAM_SCHEMAS = new Map(
  describeCatalogue().map((entry) => [
    entry.type,
    (entry.params as { properties?: Record<string, ParamSchema> }).properties ?? {},
  ]),
);

/** The cases for one node type: every single-param mutation, then random combinations. */
function casesFor(definition: AnyNodeDefinition, rng: Rng): Record<string, unknown>[] {
  const defaults = definition.params.parse(CONFIGURED[definition.type] ?? {}) as Record<
    string,
    unknown
  >;
  const schemas = PARAM_SCHEMAS.get(definition.type) ?? {};
  const names = Object.keys(definition.params.shape);
  const perParam = new Map(
    names.map((name) => [name, mutationsOf(defaults[name], schemas[name] ?? {})]),
  );
  // The defaults, and a param the node does not have (an unknown-param GraphError).
  const cases: Record<string, unknown>[] = [defaults, { ...defaults, not_a_param: 1 }];
  for (const name of names) {
    for (const value of perParam.get(name)!) cases.push({ ...defaults, [name]: value });
  }
  const enumNames = names.filter((name) => (schemas[name]?.enum?.length ?? 0) > 0);
  const randomCases =
    definition.type === 'solver' ? RANDOM_CASES_PER_NODE * 8 : RANDOM_CASES_PER_NODE;
  for (let k = 0; k < randomCases && names.length > 0; k++) {
    const params: Record<string, unknown> = { ...defaults };
    for (const name of enumNames) params[name] = pick(rng, schemas[name]!.enum!);
    const changes = 1 + Math.floor(rng.uniform() * Math.min(3, names.length));
    for (let c = 0; c < changes; c++) {
      const name = pick(rng, names);
      params[name] = pick(rng, perParam.get(name)!);
    }
    cases.push(params);
  }
  return cases;
}

describe('param fuzzing over the whole catalogue', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('refuses bad params at compile time and fails only with clear errors at run time', async () => {
    // Reads come from the fixtures; writes are dropped, so a save node cannot change them.
    const fixtures = memoryFiles(fixtureFiles());
    const files: FileHost = { read: (path) => fixtures.read(path), write: async () => {} };
    const rng = createRng(SEED);
    const findings: Finding[] = [];
    const outcomes: Record<Outcome, number> = {
      refused: 0,
      ran: 0,
      'failed cleanly': 0,
      harness: 0,
      bug: 0,
    };
    const tensorsBefore = tf.memory().numTensors;
    let caseSeed = 0;
    for (const definition of catalogue.list()) {
      for (const params of casesFor(definition, rng)) {
        outcomes[await runCase(definition, params, caseSeed++, files, findings)]++;
      }
    }
    // FUZZ_REPORT=1 lists every outcome, to audit which run-time failures could be compile-time.
    if (process.env.FUZZ_REPORT) {
      console.log(JSON.stringify(outcomes));
      for (const finding of findings) console.log(JSON.stringify(finding));
      for (const finding of cleanFailures) console.log('CLEAN ' + JSON.stringify(finding));
    }
    expect(findings).toEqual([]);
    // Every case was torn down: nothing a failed node made is left behind.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // The harness must keep exercising runs, not only refusals (most mutations are bad on purpose).
    expect(outcomes.ran).toBeGreaterThan(1000);
  });
});
