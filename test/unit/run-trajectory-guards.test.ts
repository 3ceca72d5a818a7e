// Bad runs stop cleanly: a non-finite value in a trajectory fails that node with the step and σ̃,
// a trajectory too large for memory is refused before the first denoiser call, and running one
// node runs only it and what it needs.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyParamOverride,
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type Catalogue,
  type EngineEvent,
  type GraphDocument,
} from '../../graph-nodes';
import type { Denoiser } from '../../graph-nodes/core/values';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { euler } from '../../graph-nodes/solvers/euler';
import { solve, trajectoryBytes } from '../../graph-nodes/solvers/loop';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';

const presetPath = resolve(__dirname, '../../presets/default.graph.json');

async function preset(overrides: Record<string, unknown> = {}): Promise<GraphDocument> {
  let document = parseGraphText(await readFile(presetPath, 'utf8'), presetPath);
  for (const [target, value] of Object.entries(overrides))
    document = applyParamOverride(document, target, value);
  return document;
}

async function runPreset(
  overrides: Record<string, unknown>,
  targets?: readonly string[],
  nodes: Catalogue = catalogue,
): Promise<{ events: EngineEvent[]; executor: Executor }> {
  const executor = new Executor({ files: nodeFileHost(dirname(presetPath)) });
  const events: EngineEvent[] = [];
  await executor.run(compileGraph(await preset(overrides), nodes), {
    onEvent: (event) => events.push(event),
    ...(targets ? { targets } : {}),
  });
  return { events, executor };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('non-finite trajectories', () => {
  it('stop the solver node with the step and σ̃ where Inf appeared', async () => {
    // No param can overflow float32 any more (they are all bounded), so the preset's mixture
    // denoiser is swapped for one whose prediction overflows on the very first step.
    const gmm = catalogue.get('gmm-denoiser')!;
    const overflowing: Denoiser = {
      dim: 2,
      denoise: (x) => tf.tidy(() => tf.mul(x, 3e38)),
      dispose: () => {},
    };
    const nodes: Catalogue = {
      list: () => catalogue.list(),
      get: (type) =>
        type === 'gmm-denoiser'
          ? { ...gmm, run: () => ({ denoiser: overflowing }) }
          : catalogue.get(type),
    };
    const { events, executor } = await runPreset({}, undefined, nodes);
    const error = events.find((event) => event.type === 'node-error');
    expect(error).toMatchObject({ type: 'node-error', nodeId: 'solver' });
    const message = error?.type === 'node-error' ? error.message : '';
    expect(message).toMatch(
      /step 1 of 20 \(σ̃ 80 → [\d.]+\) produced (-)?Infinity in the denoiser’s x̂₀ \(point 0\)/,
    );
    // The nodes before it are kept; the failed one left no output behind.
    expect(executor.output('prior', 'samples')).toBeDefined();
    expect(executor.output('solver', 'samples')).toBeUndefined();
    executor.dispose();
  });

  it('name x̂₀ when the denoiser itself returns NaN', async () => {
    const timesteps = timestepsFromSigmas(
      edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
      karrasSigmas(6, 0.002, 80, 7),
    );
    const poisoned: Denoiser = {
      dim: 2,
      denoise: (x, sigma) => tf.tidy(() => (sigma < 10 ? tf.fill(x.shape, NaN) : tf.mul(x, 0))),
      dispose: () => {},
    };
    const x = tf.randomNormal([32, 2]) as tf.Tensor2D;
    const run = solve({
      algorithm: euler,
      denoiser: poisoned,
      timesteps,
      x,
      hooks: { checkpoint: async () => {}, progress: () => {}, frame: () => {}, addNfe: () => {} },
    });
    const firstPoisoned = [...timesteps.sigmaTilde].findIndex((sigma) => sigma < 10);
    await expect(run).rejects.toThrow(
      `step ${firstPoisoned + 1} of 6 (σ̃ ${timesteps.sigmaTilde[firstPoisoned]} → `,
    );
    await expect(run).rejects.toThrow(/NaN in the denoiser’s x̂₀/);
    x.dispose();
  });
});

describe('trajectory memory', () => {
  it('is estimated as frames × points × dims × (x̃, x̂₀) × 4 bytes', () => {
    expect(trajectoryBytes(21, 2000, 2)).toBe(21 * 2000 * 2 * 2 * 4);
  });

  it('refuses a run over the limit before any denoiser call, showing the estimate', async () => {
    let calls = 0;
    const denoiser: Denoiser = {
      dim: 2,
      denoise: (x) => {
        calls++;
        return tf.clone(x);
      },
      dispose: () => {},
    };
    const x = tf.zeros([1000, 2]) as tf.Tensor2D;
    const frames: unknown[] = [];
    const run = solve({
      algorithm: euler,
      denoiser,
      timesteps: timestepsFromSigmas(
        edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
        karrasSigmas(20, 0.002, 80, 7),
      ),
      x,
      trajectoryByteLimit: 100_000,
      hooks: {
        checkpoint: async () => {},
        progress: () => {},
        frame: (frame) => frames.push(frame),
        addNfe: () => {},
      },
    });
    await expect(run).rejects.toThrow(
      'the trajectory would need 328.1 KiB (21 frames × 1000 points × 2 dims',
    );
    await expect(run).rejects.toThrow(/more than the 97.7 KiB allowed/);
    expect(calls).toBe(0);
    expect(frames).toHaveLength(0);
    x.dispose();
  });
});

describe('running one branch', () => {
  it('runs the selected node and its ancestors only, then reuses them', async () => {
    const { events, executor } = await runPreset({}, ['prior']);
    const started = events.flatMap((event) => (event.type === 'node-start' ? [event.nodeId] : []));
    expect(started.sort()).toEqual(['prior', 'schedule', 'timesteps']);
    expect(executor.output('solver', 'samples')).toBeUndefined();

    // The full run afterwards takes the three from the cache and computes the other two.
    const plan = compileGraph(await preset(), catalogue);
    const second: EngineEvent[] = [];
    await executor.run(plan, { onEvent: (event) => second.push(event) });
    const done = second.flatMap((event) =>
      event.type === 'node-done' ? [[event.nodeId, event.cached] as const] : [],
    );
    expect(Object.fromEntries(done)).toEqual({
      schedule: true,
      timesteps: true,
      prior: true,
      denoiser: false,
      solver: false,
    });
    executor.dispose();
  });
});
