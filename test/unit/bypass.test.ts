// Bypassing a node: it is skipped at run time and each output takes the value of its first input
// of the same type, in the compiler, the executor, the CLI and the saved file alike.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type GraphDocument,
  type Samples,
} from '../../graph-nodes';
import { GraphError, type GraphIssue } from '../../graph-nodes/core/errors';
import { migrateDocument } from '../../graph-nodes/core/migrations';
import { parseNpy } from '../../graph-nodes/math/npy';
import { produce } from 'immer';
import { setBypass, setNodeColour } from '../../renderer/graph/document-edits';
import { commandForKey } from '../../renderer/editor/shortcuts';
import { principia } from './helpers/cli-process';
import { memoryFiles } from './helpers/run-context';
import { runCounts, testCatalogue } from './helpers/test-nodes';

const CFG_PRESET = resolve(__dirname, '../../presets/cfg-labelled-mixture.graph.json');
const at = { x: 0, y: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => runCounts.clear());

function issuesOf(run: () => unknown): GraphIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return [...(error as GraphError).issues];
  }
  throw new Error('expected a GraphError');
}

/** The CFG preset, small enough to run in a unit test. */
async function cfgPreset(): Promise<GraphDocument> {
  const doc = parseGraphText(await readFile(CFG_PRESET, 'utf8'), CFG_PRESET);
  return {
    ...doc,
    nodes: doc.nodes.map((node) =>
      node.id === 'prior'
        ? { ...node, params: { ...node.params, count: 64 } }
        : node.id === 'timesteps'
          ? { ...node, params: { ...node.params, steps: 6 } }
          : node,
    ),
  };
}

function withBypass(doc: GraphDocument, id: string, bypass = true): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((node) => (node.id === id ? { ...node, bypass } : node)),
  };
}

/** The preset with the guidance node taken out and the solver fed the conditional denoiser. */
function withoutGuidance(doc: GraphDocument): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.filter((node) => node.id !== 'guidance'),
    edges: [
      ...doc.edges.filter((edge) => edge.from.node !== 'guidance' && edge.to.node !== 'guidance'),
      {
        from: { node: 'conditional', port: 'denoiser' },
        to: { node: 'solver', port: 'denoiser' },
      },
    ],
  };
}

async function solverSamples(doc: GraphDocument): Promise<Float32Array> {
  const executor = new Executor({ files: memoryFiles() });
  try {
    const summary = await executor.run(compileGraph(doc, catalogue));
    expect(summary.error).toBeUndefined();
    return (executor.output('solver', 'samples') as Samples).points.dataSync() as Float32Array;
  } finally {
    executor.dispose();
  }
}

describe('bypass in the compiler', () => {
  it('passes a bypassed guidance node’s first denoiser input through', async () => {
    const plan = compileGraph(withBypass(await cfgPreset(), 'guidance'), catalogue);
    expect(plan.nodes.get('guidance')!.bypass).toEqual({ denoiser: 'conditional' });
    expect(plan.nodes.get('solver')!.bypass).toBeUndefined();
  });

  it('names the node and the output that has no input of its type', () => {
    const doc: GraphDocument = {
      format: 'principia.graph',
      version: 2,
      groups: [],
      nodes: [
        {
          id: 'source',
          type: 'test-constant',
          typeVersion: 1,
          position: at,
          params: {},
          bypass: true,
        },
      ],
      edges: [],
    };
    const issues = issuesOf(() => compileGraph(doc, testCatalogue));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'cannot-bypass',
        nodeId: 'source',
        port: 'samples',
        message:
          'cannot bypass node "source": output "samples" (type samples) has no input of that type to pass through; stop bypassing the node',
      }),
    ]);
  });

  it('says which input to connect when the same-typed input is not wired', () => {
    const doc: GraphDocument = {
      format: 'principia.graph',
      version: 2,
      groups: [],
      nodes: [
        { id: 'scale', type: 'test-scale', typeVersion: 1, position: at, params: {}, bypass: true },
      ],
      edges: [],
    };
    const issues = issuesOf(() => compileGraph(doc, testCatalogue));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('cannot-bypass');
    expect(issues[0]!.message).toMatch(
      /cannot bypass node "scale": output "samples" \(type samples\)/,
    );
    expect(issues[0]!.message).toMatch(/input "samples", which is not connected/);
  });

  it('does not require the inputs a bypassed node does not pass through', async () => {
    const doc = withBypass(await cfgPreset(), 'guidance');
    const cut = {
      ...doc,
      edges: doc.edges.filter((edge) => edge.to.port !== 'unconditional'),
    };
    expect(compileGraph(cut, catalogue).nodes.get('guidance')!.bypass).toEqual({
      denoiser: 'conditional',
    });
    // Not bypassed, the same graph lacks a required input.
    expect(issuesOf(() => compileGraph(withBypass(cut, 'guidance', false), catalogue))).toEqual([
      expect.objectContaining({ code: 'missing-input', nodeId: 'guidance', port: 'unconditional' }),
    ]);
  });

  it('ignores a bypassed node’s params in its cache key (they do not change its outputs)', async () => {
    const doc = withBypass(await cfgPreset(), 'guidance');
    const rescaled = {
      ...doc,
      nodes: doc.nodes.map((node) =>
        node.id === 'guidance' ? { ...node, params: { scale: 7 } } : node,
      ),
    };
    const key = (d: GraphDocument, id: string) =>
      compileGraph(d, catalogue).nodes.get(id)!.cacheKey;
    expect(key(rescaled, 'solver')).toBe(key(doc, 'solver'));
    expect(key(doc, 'solver')).not.toBe(key(withBypass(doc, 'guidance', false), 'solver'));
  });
});

describe('bypass at run time', () => {
  it('gives the results of the graph without the node, and changes them', async () => {
    const preset = await cfgPreset();
    const bypassed = await solverSamples(withBypass(preset, 'guidance'));
    const without = await solverSamples(withoutGuidance(preset));
    const guided = await solverSamples(preset);
    expect(Array.from(bypassed)).toEqual(Array.from(without));
    let largest = 0;
    for (let i = 0; i < guided.length; i++) {
      largest = Math.max(largest, Math.abs(guided[i]! - bypassed[i]!));
    }
    expect(largest).toBeGreaterThan(0.1);
  });

  it('runs no work for the bypassed node, shares its input’s value and frees it once', async () => {
    const doc: GraphDocument = {
      format: 'principia.graph',
      version: 2,
      groups: [],
      nodes: [
        { id: 'a', type: 'test-constant', typeVersion: 1, position: at, params: { value: 3 } },
        {
          id: 'b',
          type: 'test-scale',
          typeVersion: 1,
          position: at,
          params: { factor: 5 },
          bypass: true,
        },
        { id: 'c', type: 'test-scale', typeVersion: 1, position: at, params: { factor: 2 } },
      ],
      edges: [
        { from: { node: 'a', port: 'samples' }, to: { node: 'b', port: 'samples' } },
        { from: { node: 'b', port: 'samples' }, to: { node: 'c', port: 'samples' } },
      ],
    };
    const executor = new Executor({ files: memoryFiles() });
    const tensorsBefore = tf.memory().numTensors;
    const summary = await executor.run(compileGraph(doc, testCatalogue));
    expect(summary.ok).toBe(true);
    expect(summary.nodes.b).toEqual(expect.objectContaining({ status: 'done', nfe: 0 }));
    expect(Object.fromEntries(runCounts)).toEqual({ a: 1, c: 1 });
    expect(executor.output('b', 'samples')).toBe(executor.output('a', 'samples'));
    expect((executor.output('c', 'samples') as Samples).points.dataSync()[0]).toBe(6);

    // Un-bypassed, b runs and c follows; a is reused. Nothing is freed twice or leaked.
    const again = await executor.run(compileGraph(withBypass(doc, 'b', false), testCatalogue));
    expect(again.nodes.a!.status).toBe('cached');
    expect((executor.output('c', 'samples') as Samples).points.dataSync()[0]).toBe(30);
    executor.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('bypass in the file', () => {
  it('loads a version-1 file without bypass or color unchanged (no migration step of its own)', async () => {
    const text = await readFile(CFG_PRESET, 'utf8');
    const raw = JSON.parse(text) as Record<string, unknown>;
    // The only step from version 1 adds the (empty) groups; the nodes pass through as they were.
    expect(migrateDocument(raw, 1)).toEqual({ ...raw, version: 2, groups: [] });
    const doc = parseGraphText(text);
    expect(doc.nodes.every((node) => node.bypass === undefined && node.color === undefined)).toBe(
      true,
    );
  });

  it('keeps bypass and color through save and load, and refuses a bad colour', async () => {
    const doc = withBypass(await cfgPreset(), 'guidance');
    const coloured = {
      ...doc,
      nodes: doc.nodes.map((node) => (node.id === 'solver' ? { ...node, color: '#3a6ea5' } : node)),
    };
    const reloaded = parseGraphText(JSON.stringify(coloured));
    expect(reloaded.nodes.find((node) => node.id === 'guidance')!.bypass).toBe(true);
    expect(reloaded.nodes.find((node) => node.id === 'solver')!.color).toBe('#3a6ea5');
    const bad = JSON.stringify({
      ...coloured,
      nodes: coloured.nodes.map((node) =>
        node.id === 'solver' ? { ...node, color: 'red' } : node,
      ),
    });
    expect(() => parseGraphText(bad)).toThrow(/nodes\.6\.color: a colour is written "#rrggbb"/);
    expect(() =>
      parseGraphText(
        JSON.stringify({
          ...doc,
          nodes: doc.nodes.map((node) => ({ ...node, bypass: 'yes' })),
        }),
      ),
    ).toThrow(/nodes\.0\.bypass/);
  });
});

describe('bypass from the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'principia-bypass-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a bypassed node the same way, and refuses one that cannot be bypassed', async () => {
    const preset = await cfgPreset();
    const bypassedFile = join(dir, 'bypassed.graph.json');
    const withoutFile = join(dir, 'without.graph.json');
    await writeFile(bypassedFile, JSON.stringify(withBypass(preset, 'guidance')));
    await writeFile(withoutFile, JSON.stringify(withoutGuidance(preset)));
    const run = async (file: string, out: string) => {
      const result = await principia(
        'run',
        file,
        '--save',
        `solver.samples=${out}`,
        '--backend',
        'cpu',
      );
      expect(result.code, result.stderr).toBe(0);
      return parseNpy(new Uint8Array(await readFile(out))).data;
    };
    const bypassed = await run(bypassedFile, join(dir, 'bypassed.npy'));
    const without = await run(withoutFile, join(dir, 'without.npy'));
    expect(Array.from(bypassed)).toEqual(Array.from(without));

    const badFile = join(dir, 'bad.graph.json');
    await writeFile(badFile, JSON.stringify(withBypass(preset, 'schedule')));
    const bad = await principia('run', badFile);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'node "schedule" port "schedule": cannot bypass node "schedule": output "schedule" (type schedule) has no input of that type to pass through',
    );
  }, 60_000);
});

describe('bypass and colour in the editor', () => {
  it('Ctrl+B is the bypass shortcut, except while typing', () => {
    const press = { key: 'b', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
    expect(commandForKey(press, false)).toBe('bypass');
    expect(commandForKey({ ...press, ctrlKey: false, metaKey: true }, false)).toBe('bypass');
    expect(commandForKey(press, true)).toBeNull();
    expect(commandForKey({ ...press, ctrlKey: false }, false)).toBeNull();
  });

  it('sets and clears bypass and color, leaving no field behind when off', async () => {
    const doc = await cfgPreset();
    const edited = produce(doc, (draft) => {
      setBypass(draft, ['guidance', 'solver'], true);
      setNodeColour(draft, ['solver'], '#3a5fa5');
    });
    const node = (d: GraphDocument, id: string) => d.nodes.find((n) => n.id === id)!;
    expect(node(edited, 'guidance').bypass).toBe(true);
    expect(node(edited, 'solver')).toMatchObject({ bypass: true, color: '#3a5fa5' });
    expect(node(edited, 'prior').bypass).toBeUndefined();
    const cleared = produce(edited, (draft) => {
      setBypass(draft, ['guidance', 'solver'], false);
      setNodeColour(draft, ['solver'], undefined);
    });
    expect(cleared).toEqual(doc);
    expect(Object.keys(node(cleared, 'solver'))).not.toContain('bypass');
  });
});
