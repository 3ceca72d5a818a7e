import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileGraph } from '../../graph-nodes/core/compile';
import type { GraphDocument } from '../../graph-nodes/core/document';
import { Executor, type EngineEvent } from '../../graph-nodes/core/execute';
import type { Samples } from '../../graph-nodes/core/values';
import { memoryFiles } from './helpers/run-context';
import { runCounts, testCatalogue } from './helpers/test-nodes';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => runCounts.clear());

const at = { x: 0, y: 0 };
// a → b → c, and a → d (a side branch)
function diamond(
  params: { aValue?: number; bFactor?: number; steps?: number } = {},
): GraphDocument {
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      {
        id: 'a',
        type: 'test-constant',
        typeVersion: 1,
        position: at,
        params: { value: params.aValue ?? 1 },
      },
      {
        id: 'b',
        type: 'test-scale',
        typeVersion: 1,
        position: at,
        params: { factor: params.bFactor ?? 2, steps: params.steps ?? 1 },
      },
      { id: 'c', type: 'test-scale', typeVersion: 1, position: at, params: { factor: 10 } },
      { id: 'd', type: 'test-scale', typeVersion: 1, position: at, params: { factor: -1 } },
    ],
    edges: [
      { from: { node: 'a', port: 'samples' }, to: { node: 'b', port: 'samples' } },
      { from: { node: 'b', port: 'samples' }, to: { node: 'c', port: 'samples' } },
      { from: { node: 'a', port: 'samples' }, to: { node: 'd', port: 'samples' } },
    ],
  };
}

const plan = (doc: GraphDocument) => compileGraph(doc, testCatalogue);
const valueOf = (executor: Executor, id: string) =>
  (executor.output(id, 'samples') as Samples).points.dataSync()[0];

describe('Executor', () => {
  it('runs every node in order and computes through the wires', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const summary = await executor.run(plan(diamond()));
    expect(summary.ok).toBe(true);
    expect(valueOf(executor, 'c')).toBe(20);
    expect(valueOf(executor, 'd')).toBe(-1);
    expect(Object.values(summary.nodes).map((n) => n.status)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    executor.dispose();
  });

  it('re-runs exactly the nodes downstream of a changed param, and marks the rest cached', async () => {
    const executor = new Executor({ files: memoryFiles() });
    await executor.run(plan(diamond()));
    expect(Object.fromEntries(runCounts)).toEqual({ a: 1, b: 1, c: 1, d: 1 });

    const summary = await executor.run(plan(diamond({ bFactor: 3 })));
    expect(Object.fromEntries(runCounts)).toEqual({ a: 1, b: 2, c: 2, d: 1 });
    expect(summary.nodes.a!.status).toBe('cached');
    expect(summary.nodes.d!.status).toBe('cached');
    expect(summary.nodes.b!.status).toBe('done');
    expect(valueOf(executor, 'c')).toBe(30);

    await executor.run(plan(diamond({ bFactor: 3 })));
    expect(Object.fromEntries(runCounts)).toEqual({ a: 1, b: 2, c: 2, d: 1 });

    await executor.run(plan(diamond({ aValue: 5, bFactor: 3 })));
    expect(Object.fromEntries(runCounts)).toEqual({ a: 2, b: 3, c: 3, d: 2 });
    executor.dispose();
  });

  it('invalidate drops a node and everything downstream of it, nothing else', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const graph = plan(diamond());
    await executor.run(graph);
    executor.invalidate(graph, 'b');
    const summary = await executor.run(graph);
    expect(Object.fromEntries(runCounts)).toEqual({ a: 1, b: 2, c: 2, d: 1 });
    expect(summary.nodes.a!.status).toBe('cached');
    expect(summary.nodes.d!.status).toBe('cached');
    expect(summary.nodes.c!.status).toBe('done');
    executor.dispose();
  });

  it('streams start, progress, done events with wall ms and NFE, and replays NFE for cached nodes', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const events: EngineEvent[] = [];
    await executor.run(plan(diamond({ steps: 3 })), { onEvent: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'run-start', order: ['a', 'b', 'c', 'd'] });
    const bEvents = events.filter((e) => 'nodeId' in e && e.nodeId === 'b');
    expect(bEvents.map((e) => e.type)).toEqual([
      'node-start',
      'node-progress',
      'node-progress',
      'node-progress',
      'node-done',
    ]);
    const done = bEvents.at(-1) as Extract<EngineEvent, { type: 'node-done' }>;
    expect(done.nfe).toBe(3);
    expect(done.ms).toBeGreaterThanOrEqual(0);
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: true, cancelled: false });

    const again: EngineEvent[] = [];
    await executor.run(plan(diamond({ steps: 3 })), { onEvent: (e) => again.push(e) });
    expect(again.filter((e) => e.type === 'node-done')).toContainEqual({
      type: 'node-done',
      nodeId: 'b',
      ms: 0,
      nfe: 3,
      cached: true,
    });
    executor.dispose();
  });

  it('runs only a target and what it needs', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const summary = await executor.run(plan(diamond()), { targets: ['d'] });
    expect(Object.fromEntries(runCounts)).toEqual({ a: 1, d: 1 });
    expect(summary.nodes.b!.status).toBe('skipped');
    executor.dispose();
  });

  it('stops when its AbortSignal fires and says the run was cancelled', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    const summary = await executor.run(plan(diamond({ steps: 1000 })), {
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'node-progress' && e.step === 5) controller.abort();
      },
    });
    expect(summary).toMatchObject({ ok: false, cancelled: true, error: { nodeId: 'b' } });
    const progress = events.filter((e) => e.type === 'node-progress');
    expect(progress.length).toBeLessThan(10);
    expect(summary.nodes.c!.status).toBe('skipped');
    // The next run picks up where the cache is still valid.
    const next = await executor.run(plan(diamond({ steps: 2 })));
    expect(next.ok).toBe(true);
    expect(next.nodes.a!.status).toBe('cached');
    executor.dispose();
  });

  it('reports a failing node by id and skips what depends on it', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const doc = diamond();
    doc.nodes.push({ id: 'boom', type: 'test-fail', typeVersion: 1, position: at, params: {} });
    doc.nodes.push({ id: 'after', type: 'test-scale', typeVersion: 1, position: at, params: {} });
    doc.edges.push({ from: { node: 'c', port: 'samples' }, to: { node: 'boom', port: 'samples' } });
    doc.edges.push({
      from: { node: 'boom', port: 'samples' },
      to: { node: 'after', port: 'samples' },
    });
    const summary = await executor.run(plan(doc));
    expect(summary.ok).toBe(false);
    expect(summary.cancelled).toBe(false);
    expect(summary.error).toEqual({ nodeId: 'boom', message: 'this node always fails' });
    expect(summary.nodes.after!.status).toBe('skipped');
    executor.dispose();
  });

  it('leaks no tensors across 100 runs with changing params, and frees all on dispose', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const start = tf.memory().numTensors;
    await executor.run(plan(diamond()));
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      await executor.run(plan(diamond({ aValue: i % 3, bFactor: i % 7 })));
    }
    await executor.run(plan(diamond()));
    expect(tf.memory().numTensors).toBe(afterFirst);
    executor.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('frees the outputs of nodes removed from the graph', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const start = tf.memory().numTensors;
    await executor.run(plan(diamond()));
    const doc = diamond();
    doc.nodes = doc.nodes.filter((n) => n.id !== 'd');
    doc.edges = doc.edges.filter((e) => e.to.node !== 'd');
    await executor.run(plan(doc));
    expect(tf.memory().numTensors).toBe(start + 3);
    executor.dispose();
  });

  it('refuses a second concurrent run', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const first = executor.run(plan(diamond({ steps: 20 })));
    await expect(executor.run(plan(diamond()))).rejects.toThrow(/already in progress/);
    await first;
    executor.dispose();
  });
});
