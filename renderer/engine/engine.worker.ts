// The engine's home in the app: compiles and runs graphs off the UI thread and posts back plain
// data. One Executor lives as long as the backend, so unchanged nodes are reused across runs.
import * as Comlink from 'comlink';
import {
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  runSweep,
  type EngineEvent,
  type FileHost,
  type Metrics,
  type Plan,
  type RunSummary,
  type Samples,
  type Trajectory,
  valueToNpy,
} from '../../graph-nodes';
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser } from '../../graph-nodes/core/values';
import { settle } from '../../graph-nodes/core/pending';
import { trainNode } from '../../graph-nodes/neural/train-node';
import type { TrainingSamples } from '../../graph-nodes/neural/training-samples';
import { selectBackend } from './backend-selection';
import { describePortValue } from './port-facts';
import type {
  EngineWorkerApi,
  NodePreview,
  PointCloud,
  ReadFile,
  RunResult,
  TrainingReport,
  UiEngineEvent,
  WriteFile,
} from './engine-protocol';
import type { Coupling } from '../../graph-nodes/core/values';
import { couplingPreviewBuffers, couplingPreviewOf } from './coupling-preview';
import { frameKindOf, frameLayoutOf, framePointsEvent } from './frame-points';
import { nodePreviewOf } from './preview-data';

let executor: Executor | undefined;
/** Set by `forget` during a job: the cache goes when the job ends. */
let forgetAfterJob = false;
let currentRun: AbortController | undefined;
let readFileOnMainThread: ReadFile | undefined;
let writeFileOnMainThread: WriteFile | undefined;

const files: FileHost = {
  read: (path) => {
    if (!readFileOnMainThread) throw new Error(`cannot read "${path}" outside a run`);
    return readFileOnMainThread(path);
  },
  write: (path, bytes) => {
    if (!writeFileOnMainThread) throw new Error(`cannot write "${path}" outside training`);
    return writeFileOnMainThread(path, bytes);
  },
};

async function copyPoints(samples: Samples): Promise<PointCloud> {
  const [count, dim] = samples.points.shape;
  const values = (await samples.points.data()) as Float32Array;
  return { values: new Float32Array(values), count, dim, shape: samples.shape };
}

/** Nodes whose picture this run already sent with their node-done event (streamPreview). */
const streamedPreviews = new Set<string>();

/**
 * A coupling's picture (made without waiting on any tensor) goes out the moment its node is done,
 * so the dock redraws the plan before the nodes after it finish.
 */
function streamPreview(plan: Plan, nodeId: string, onEvent: (event: UiEngineEvent) => void): void {
  for (const [port, spec] of Object.entries(plan.nodes.get(nodeId)?.definition.outputs ?? {})) {
    if (spec.type !== 'coupling') continue;
    const value = executor?.output(nodeId, port) as Coupling | undefined;
    if (!value) continue;
    const preview = couplingPreviewOf(value);
    streamedPreviews.add(nodeId);
    onEvent(
      Comlink.transfer({ type: 'node-preview', nodeId, preview }, couplingPreviewBuffers(preview)),
    );
    return;
  }
}

/** Posts one engine event, sending a frame as fresh preview-sized arrays the UI takes over. */
function postEvent(plan: Plan, event: EngineEvent, onEvent: (event: UiEngineEvent) => void): void {
  if (event.type === 'node-done' && !event.cached) streamPreview(plan, event.nodeId, onEvent);
  if (event.type !== 'node-frame') return onEvent(event);
  const layout = frameLayoutOf(plan, event.nodeId, (node, port) => executor?.output(node, port));
  const uiEvent = framePointsEvent(
    event.nodeId,
    event.frame,
    layout,
    frameKindOf(plan, event.nodeId),
  );
  const buffers = [
    uiEvent.points.values.buffer,
    ...(uiEvent.x0hat ? [uiEvent.x0hat.values.buffer] : []),
  ];
  onEvent(Comlink.transfer(uiEvent, buffers as ArrayBuffer[]));
}

/**
 * A plottable summary of each node computed in this run. Cached nodes are left out: the UI still
 * has theirs, and re-sending them would redraw every card on every auto-run.
 */
async function collectNodePreviews(
  plan: Plan,
  summary: RunSummary,
): Promise<Record<string, NodePreview>> {
  const previews: Record<string, NodePreview> = {};
  for (const id of plan.order) {
    if (summary.nodes[id]?.status !== 'done' || streamedPreviews.has(id)) continue;
    const outputs = Object.entries(plan.nodes.get(id)?.definition.outputs ?? {}).map(
      ([port, spec]) => ({ type: spec.type, value: executor?.output(id, port) }),
    );
    const preview = await nodePreviewOf(outputs.filter((output) => output.value !== undefined));
    if (preview) previews[id] = preview;
  }
  return previews;
}

/** A few words per output port of every node that produced values in this run. */
function collectPortFacts(plan: Plan, summary: RunSummary): Record<string, Record<string, string>> {
  const facts: Record<string, Record<string, string>> = {};
  for (const id of plan.order) {
    const status = summary.nodes[id]?.status;
    if (status !== 'done' && status !== 'cached') continue;
    const outputs = plan.nodes.get(id)?.definition.outputs ?? {};
    for (const [port, spec] of Object.entries(outputs)) {
      const value = executor?.output(id, port);
      if (value === undefined) continue;
      try {
        (facts[id] ??= {})[port] = describePortValue(spec.type, value as never);
      } catch {
        // A value that cannot describe itself just has no hover facts.
      }
    }
  }
  return facts;
}

/** Every Metrics or Compare node's numbers (plain data already). */
function collectMetrics(plan: Plan, summary: RunSummary): Record<string, Metrics> {
  const measured: Record<string, Metrics> = {};
  for (const id of plan.order) {
    const status = summary.nodes[id]?.status;
    if (status !== 'done' && status !== 'cached') continue;
    for (const [port, spec] of Object.entries(plan.nodes.get(id)?.definition.outputs ?? {})) {
      if (spec.type !== 'metrics') continue;
      const value = executor?.output(id, port) as Metrics | undefined;
      if (value) measured[id] = value;
    }
  }
  return measured;
}

/**
 * The worker does one job at a time (a run, a training, a sweep) on its one Executor: `work` gets
 * the cancel signal, and the main thread answers file reads and writes while it lasts.
 */
async function asJob<T>(
  readFile: ReadFile,
  writeFile: WriteFile | undefined,
  work: (engine: Executor, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (currentRun) throw new Error('a run is already in progress');
  executor ??= new Executor({ files });
  const controller = new AbortController();
  currentRun = controller;
  readFileOnMainThread = readFile;
  writeFileOnMainThread = writeFile;
  try {
    return await work(executor, controller.signal);
  } finally {
    currentRun = undefined;
    readFileOnMainThread = undefined;
    writeFileOnMainThread = undefined;
    if (forgetAfterJob) {
      forgetAfterJob = false;
      executor?.dispose();
      executor = undefined;
    }
  }
}

const api: EngineWorkerApi = {
  async selectBackend(preferred, exactDenoisers) {
    // Tensors belong to the backend that made them: a new backend needs a new cache.
    executor?.dispose();
    executor = undefined;
    return selectBackend(preferred, exactDenoisers);
  },

  run(graphText, onEvent, readFile, targets) {
    return asJob(readFile, undefined, async (engine, signal) => {
      // Probing completes the compiler's facts from the files the graph names (an ONNX model's
      // input shape) and from cached outputs, so a shape mismatch is a graph error, reported
      // like any compile error, before any node runs. Frames take their shapes from its facts.
      const plan = await engine.probe(compileGraph(parseGraphText(graphText), catalogue));
      streamedPreviews.clear();
      // Events are posted, not awaited: the UI holds the result back until the run-done event,
      // which the executor sends last, has arrived.
      const summary = await engine.run(plan, {
        signal,
        onEvent: (event: EngineEvent) => postEvent(plan, event, onEvent),
        ...(targets ? { targets } : {}),
      });
      const samples: Record<string, PointCloud> = {};
      for (const id of plan.order) {
        const node = plan.nodes.get(id);
        const status = summary.nodes[id]?.status;
        if (node?.definition.kind !== 'solver' || (status !== 'done' && status !== 'cached'))
          continue;
        const output = engine.output(id, 'samples') as Samples | undefined;
        if (output) samples[id] = await copyPoints(output);
      }
      const result: RunResult = {
        summary,
        samples,
        portFacts: collectPortFacts(plan, summary),
        nodePreviews: await collectNodePreviews(plan, summary),
        metrics: collectMetrics(plan, summary),
      };
      return Comlink.transfer(result, [
        ...Object.values(samples).map((cloud) => cloud.values.buffer as ArrayBuffer),
        // A coupling's picture is a few hundred kB per run: moved, not copied.
        ...Object.values(result.nodePreviews).flatMap((preview) =>
          preview.kind === 'coupling' ? couplingPreviewBuffers(preview) : [],
        ),
      ]);
    });
  },

  cancel() {
    currentRun?.abort();
  },

  forget() {
    if (currentRun) {
      // The job in flight owns the executor: stop it, and drop the cache when it has let go.
      forgetAfterJob = true;
      currentRun.abort();
      return;
    }
    executor?.dispose();
    executor = undefined;
  },

  train(graphText, nodeId, onProgress, readFile, writeFile) {
    return asJob(readFile, writeFile, async (engine, signal) => {
      const started = performance.now();
      // The trainer hands each preview over just before the progress of its step.
      let samples: TrainingSamples | undefined;
      const trained = await trainNode(compileGraph(parseGraphText(graphText), catalogue), nodeId, {
        executor: engine,
        files,
        signal,
        onSamples: (drawn) => (samples = drawn),
        onProgress: (progress) => {
          const drawn = samples?.step === progress.step ? samples : undefined;
          samples = undefined;
          if (!drawn) return void onProgress(progress);
          const { values, count, dim, shape } = drawn;
          const cloud: PointCloud = { values, count, dim, shape };
          void onProgress(
            Comlink.transfer({ ...progress, samples: cloud }, [values.buffer as ArrayBuffer]),
          );
        },
      });
      const report: TrainingReport = {
        nodeId,
        weights: trained.path,
        history: trained.history,
        ms: performance.now() - started,
      };
      return report;
    });
  },

  sweep(graphText, axes, onPoint, readFile) {
    return asJob(readFile, undefined, (engine, signal) =>
      runSweep(parseGraphText(graphText), {
        catalogue,
        executor: engine,
        axes,
        signal,
        onPoint: (point, index, total) => void onPoint(point, index, total),
      }),
    );
  },

  async denoiseAt({ node, port, sigmaTilde, points }) {
    if (currentRun) throw new Error('the engine is busy with a run');
    const denoiser = executor?.output(node, port) as Denoiser | undefined;
    if (!denoiser || typeof denoiser.denoise !== 'function') {
      throw new Error(`node "${node}" has no denoiser from the last run`);
    }
    if (denoiser.dim !== 2) throw new Error(`node "${node}" denoises ${denoiser.dim}-D points`);
    if (!(sigmaTilde > 0) || !Number.isFinite(sigmaTilde)) throw new Error('σ̃ must be > 0');
    const count = Math.floor(points.length / 2);
    // An ONNX model answers asynchronously: settle replays the call until it has.
    const denoised = await settle(() =>
      tf.tidy(() => denoiser.denoise(tf.tensor2d(points, [count, 2]), sigmaTilde)),
    );
    try {
      const values = new Float32Array((await denoised.data()) as Float32Array);
      return Comlink.transfer(values, [values.buffer]);
    } finally {
      denoised.dispose();
    }
  },

  async trajectoryNpy(nodeId) {
    const trajectory = executor?.output(nodeId, 'trajectory') as Trajectory | undefined;
    if (!trajectory) throw new Error(`node "${nodeId}" has no trajectory from the last run`);
    const bytes = await valueToNpy(trajectory);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
};

Comlink.expose(api);
