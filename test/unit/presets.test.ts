// Every bundled preset opens and runs: it parses, compiles against the catalogue, and runs in Node
// (on few particles) to finite samples; the gallery's title and one-line summary exist.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type Coupling,
  type GraphDocument,
  type Samples,
} from '../../graph-nodes';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { firstSentence } from '../../renderer/gallery/presets';

const presetsFolder = join(__dirname, '../../presets');
const presetFiles = readdirSync(presetsFolder)
  .filter((name) => name.endsWith('.graph.json'))
  .sort();

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

const PARTICLES = 64;
const MAX_DATA_POINTS = 200;

/** Particles a preset runs with here: 64, or its own count when smaller (16 images of a U-Net). */
function particlesOf(document: GraphDocument): number {
  const prior = document.nodes.find((node) => node.type === 'gaussian-prior');
  const count = prior?.params['count'];
  return typeof count === 'number' ? Math.min(count, PARTICLES) : PARTICLES;
}

/** The same graph on fewer particles and data points, so every preset runs in a moment. */
function shrink(document: GraphDocument): GraphDocument {
  return {
    ...document,
    nodes: document.nodes.map((node) => {
      const count = node.params['count'];
      if (node.type === 'gaussian-prior')
        return { ...node, params: { ...node.params, count: particlesOf(document) } };
      if (typeof count === 'number' && count > MAX_DATA_POINTS) {
        return { ...node, params: { ...node.params, count: MAX_DATA_POINTS } };
      }
      return node;
    }),
  };
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

it('finds the bundled presets, the default among them', () => {
  expect(presetFiles).toContain('default.graph.json');
  expect(presetFiles.length).toBeGreaterThanOrEqual(6);
});

describe.each(presetFiles)('%s', (fileName) => {
  const path = join(presetsFolder, fileName);
  const document = parseGraphText(readFileSync(path, 'utf8'), path);

  it('is listed in the README', () => {
    expect(readme).toContain(`| \`${fileName.replace(/\.graph\.json$/, '')}\``);
  });

  it('has a title and a one-line summary for its gallery card', () => {
    expect(document.title?.length).toBeGreaterThan(0);
    const summary = firstSentence(document.description ?? '');
    expect(summary.length).toBeGreaterThan(20);
    expect(summary.length).toBeLessThan(400);
  });

  it('compiles and runs to finite samples', async () => {
    const plan = compileGraph(shrink(document), catalogue);
    const executor = new Executor({ files: nodeFileHost(presetsFolder) });
    try {
      const summary = await executor.run(plan);
      expect(summary.error).toBeUndefined();
      const solvers = document.nodes.filter((node) => node.type === 'solver');
      const bridges = document.nodes.filter((node) => node.type === 'schrodinger-bridge');
      const plans = document.nodes.filter((node) => node.type.endsWith('-ot'));
      expect(solvers.length + bridges.length + plans.length).toBeGreaterThan(0);
      for (const node of plans) {
        const { plan } = executor.output(node.id, 'plan') as Coupling;
        // Both marginals hold to the tolerance 1e-9 in L1, so the total does too.
        expect(Math.abs(plan.reduce((sum, mass) => sum + mass, 0) - 1)).toBeLessThanOrEqual(1e-9);
      }
      for (const solver of solvers) {
        const points = (executor.output(solver.id, 'samples') as Samples).points;
        expect(points.shape[0]).toBe(particlesOf(document));
        const values = await points.data();
        expect(values.every(Number.isFinite)).toBe(true);
      }
      for (const bridge of bridges) {
        const values = await (executor.output(bridge.id, 'samples') as Samples).points.data();
        expect(values.length).toBeGreaterThan(0);
        expect(values.every(Number.isFinite)).toBe(true);
      }
    } finally {
      executor.dispose();
    }
  });
});

describe('firstSentence', () => {
  it('stops at the first full stop followed by a space, not at decimals', () => {
    expect(firstSentence('σ from 0.002 to 80. Then more.')).toBe('σ from 0.002 to 80.');
    expect(firstSentence('No full stop')).toBe('No full stop');
  });
});
