// Graph files are untrusted: names are data, never keys into prototypes; sizes and nesting are
// bounded; every bad graph is a GraphError naming where, never a TypeError or a stack overflow.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  compileGraph,
  Executor,
  GraphError,
  parseGraphText,
  type GraphDocument,
  type GraphIssue,
} from '../../graph-nodes';
import { GRAPH_LIMITS } from '../../graph-nodes/core/graph-limits';
import { memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const at = { x: 0, y: 0 };

/** A small runnable graph: schedule → timesteps → prior → solver ← gmm denoiser. */
function pipeline(): GraphDocument {
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      { id: 'schedule', type: 'edm-schedule', typeVersion: 1, position: at, params: {} },
      {
        id: 'timesteps',
        type: 'karras-timesteps',
        typeVersion: 1,
        position: at,
        params: { steps: 3 },
      },
      { id: 'prior', type: 'gaussian-prior', typeVersion: 1, position: at, params: { count: 4 } },
      { id: 'denoiser', type: 'gmm-denoiser', typeVersion: 1, position: at, params: {} },
      { id: 'solver', type: 'solver', typeVersion: 1, position: at, params: {} },
    ],
    edges: [
      { from: { node: 'schedule', port: 'schedule' }, to: { node: 'timesteps', port: 'schedule' } },
      { from: { node: 'timesteps', port: 'timesteps' }, to: { node: 'prior', port: 'timesteps' } },
      { from: { node: 'prior', port: 'samples' }, to: { node: 'solver', port: 'noise' } },
      { from: { node: 'denoiser', port: 'denoiser' }, to: { node: 'solver', port: 'denoiser' } },
      { from: { node: 'timesteps', port: 'timesteps' }, to: { node: 'solver', port: 'timesteps' } },
    ],
  };
}

/** The issues of a graph given as text (load, then compile), or a failure if it is accepted. */
function issuesOf(text: string): GraphIssue[] {
  try {
    compileGraph(parseGraphText(text, 'hostile.graph.json'), catalogue);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return [...(error as GraphError).issues];
  }
  throw new Error('expected a GraphError');
}

describe('names are data', () => {
  it.each(['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'a port named %s is an unknown port, not a crash',
    (port) => {
      const graph = pipeline();
      graph.edges[2] = { from: { node: 'prior', port }, to: { node: 'solver', port: 'noise' } };
      const output = issuesOf(JSON.stringify(graph));
      expect(output.some((issue) => issue.code === 'unknown-port' && issue.port === port)).toBe(
        true,
      );
      graph.edges[2] = { from: { node: 'prior', port: 'samples' }, to: { node: 'solver', port } };
      const input = issuesOf(JSON.stringify(graph));
      expect(input.some((issue) => issue.code === 'unknown-port' && issue.port === port)).toBe(
        true,
      );
    },
  );

  it('a param named like an Object method is an unknown param', () => {
    const graph = pipeline();
    graph.nodes[2]!.params = { count: 4, toString: 3, valueOf: 1 };
    const issues = issuesOf(JSON.stringify(graph));
    expect(issues.map((issue) => [issue.code, issue.nodeId, issue.param])).toEqual([
      ['unknown-param', 'prior', 'toString'],
      ['unknown-param', 'prior', 'valueOf'],
    ]);
  });

  it('"__proto__", "constructor" and "prototype" are refused as keys anywhere, never dropped', () => {
    const text = JSON.stringify(pipeline()).replace(
      '"params":{"count":4}',
      '"params":{"count":4,"__proto__":{"polluted":true},"constructor":{"prototype":{}}}',
    );
    const issues = issuesOf(text);
    expect(issues.map((issue) => issue.message)).toEqual([
      'nodes.2.params.__proto__: "__proto__" is a reserved name and cannot be a key in a graph file',
      'nodes.2.params.constructor: "constructor" is a reserved name and cannot be a key in a graph file',
    ]);
    expect(issues.every((issue) => issue.nodeId === 'prior')).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('%s is refused as a node id', (id) => {
    const graph = pipeline();
    graph.nodes[0]!.id = id;
    graph.edges[0]!.from.node = id;
    const issues = issuesOf(JSON.stringify(graph));
    expect(
      issues.some((issue) => issue.message.includes('are reserved; choose another name')),
    ).toBe(true);
  });
});

describe('sizes and nesting are bounded', () => {
  it('a param nested 100,000 deep is a GraphError naming the node, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(pipeline()).replace(
      '"params":{"count":4}',
      `"params":{"count":${deep}}`,
    );
    const [issue] = issuesOf(text);
    expect(issue?.nodeId).toBe('prior');
    expect(issue?.message).toContain(`nested more than ${GRAPH_LIMITS.depth} levels deep`);
  });

  it('a bad param value nested just under the limit is described without overflowing', () => {
    const graph = pipeline();
    let value: unknown = 1;
    for (let k = 0; k < GRAPH_LIMITS.depth - 6; k++) value = [value];
    graph.nodes[2]!.params = { count: value };
    const [issue] = issuesOf(JSON.stringify(graph));
    expect(issue).toMatchObject({ code: 'bad-param', nodeId: 'prior', param: 'count' });
  });

  it('strings, nodes and the file itself have limits, said in the message', () => {
    const graph = pipeline();
    graph.description = 'x'.repeat(GRAPH_LIMITS.stringLength + 1);
    expect(issuesOf(JSON.stringify(graph))[0]?.message).toContain(
      `at most ${GRAPH_LIMITS.stringLength} are allowed`,
    );
    const many = {
      ...pipeline(),
      nodes: Array.from({ length: GRAPH_LIMITS.nodes + 1 }, () => ({})),
    };
    expect(issuesOf(JSON.stringify(many))[0]?.message).toContain(
      `a graph may have at most ${GRAPH_LIMITS.nodes}`,
    );
    const huge = ' '.repeat(GRAPH_LIMITS.textLength + 1);
    expect(issuesOf(huge)[0]?.message).toContain(`at most ${GRAPH_LIMITS.textLength}`);
  });
});

describe('the executor', () => {
  /** One schedule and timesteps feeding `count` priors: many nodes that never await anything. */
  function wide(count: number): GraphDocument {
    const graph = pipeline();
    graph.nodes = graph.nodes.slice(0, 2);
    graph.edges = graph.edges.slice(0, 1);
    for (let k = 0; k < count; k++) {
      graph.nodes.push({
        id: `p${k}`,
        type: 'gaussian-prior',
        typeVersion: 1,
        position: at,
        params: { count: 2, seed: k },
      });
      graph.edges.push({
        from: { node: 'timesteps', port: 'timesteps' },
        to: { node: `p${k}`, port: 'timesteps' },
      });
    }
    return graph;
  }

  it('lets a cancel through between nodes that never await', async () => {
    const executor = new Executor({ files: memoryFiles() });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 5);
    try {
      const summary = await executor.run(compileGraph(wide(20_000), catalogue), {
        signal: abort.signal,
      });
      expect(summary.cancelled).toBe(true);
      const done = Object.values(summary.nodes).filter((node) => node.status === 'done').length;
      expect(done).toBeLessThan(20_000);
    } finally {
      executor.dispose();
    }
  });

  it('frees the outputs of nodes that leave the graph, and everything on dispose', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const executor = new Executor({ files: memoryFiles() });
    await executor.run(compileGraph(wide(50), catalogue));
    expect(tf.memory().numTensors).toBe(tensorsBefore + 50);
    // A smaller graph: the outputs of the nodes that left are freed.
    await executor.run(compileGraph(wide(10), catalogue));
    expect(tf.memory().numTensors).toBe(tensorsBefore + 10);
    executor.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('marks a JavaScript error thrown by a node as internal', async () => {
    const failing = {
      ...catalogue.get('gaussian-prior')!,
      type: 'test-failing',
      run: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    };
    const testCatalogue = {
      get: (type: string) => (type === 'test-failing' ? failing : catalogue.get(type)),
    };
    const graph = pipeline();
    graph.nodes[2]!.type = 'test-failing';
    const executor = new Executor({ files: memoryFiles() });
    try {
      const summary = await executor.run(compileGraph(graph, testCatalogue as never));
      expect(summary.error).toMatchObject({ nodeId: 'prior', internal: true });
    } finally {
      executor.dispose();
    }
  });
});
