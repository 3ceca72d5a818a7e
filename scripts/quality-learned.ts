// `npm run quality`: the sample quality of the learned models (issue 7), measured as the sliced
// Wasserstein distance (SW2) of generated points to a held-out draw of each 2-D toy set:
//   1. 20 Heun steps with the trained MLP denoiser vs 20 Heun steps with the exact (empirical)
//      denoiser of the training set: the ratio must be ≤ 2;
//   2. 1 and 2 jumps of each learned flow map (consistency, CTM, MeanFlow), distilled from the
//      trained MLP, vs that 20-step teacher: each ratio must be ≤ 2.
// Everything is seeded; the settings are the presets'. Exits 1 when a ratio exceeds 2.
//
//   npm run quality -- [--sets two_moons,eight_gaussians] [--json]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser } from '../graph-nodes/core/values';
import { createEmpiricalDenoiser } from '../graph-nodes/denoisers/empirical';
import { createLearnedFlowMap, type FlowMapKind } from '../graph-nodes/flowmaps/learned';
import { sampleWithFlowMap } from '../graph-nodes/flowmaps/sample';
import { trainFlowMap, type FlowMapTrainingSettings } from '../graph-nodes/flowmaps/train-flowmap';
import { createRng } from '../graph-nodes/math/rng';
import { generateToy2d, TOY_2D_SHAPES, type Toy2dShape } from '../graph-nodes/math/toy-2d';
import { slicedWasserstein } from '../graph-nodes/metrics/sliced-wasserstein';
import {
  createMlpDenoiser,
  trainMlpDenoiser,
  type MlpDenoiserSettings,
} from '../graph-nodes/neural/mlp-denoiser';
import { initNodeBackend } from '../graph-nodes/runtime/node-backend';
import { edmSchedule } from '../graph-nodes/schedules/edm';
import { heun } from '../graph-nodes/solvers/heun';
import { solve } from '../graph-nodes/solvers/loop';
import { timestepsFromSigmas } from '../graph-nodes/timesteps/from-sigmas';
import { karrasSigmas } from '../graph-nodes/timesteps/karras';

const SIGMA_MIN = 0.002;
const SIGMA_MAX = 80;
const TRAINING_POINTS = 2000;
// Many points on both sides, so the distance's own sampling floor (an independent draw of the data,
// reported too) stays well below the differences being measured.
const HELD_OUT_POINTS = 20000;
const SAMPLES = 8000;
const MAX_RATIO = 2;
/** The intermediate level of the 2-jump samples. */
const TWO_JUMP_LEVEL = 0.5;

export const DENOISER_SETTINGS: MlpDenoiserSettings = {
  width: 128,
  depth: 3,
  frequencies: 8,
  sigmaData: 1,
  pMean: -1.2,
  pStd: 1.2,
  steps: 4000,
  batchSize: 256,
  learningRate: 0.005,
  emaDecay: 0.998,
  seed: 0,
};

const FLOW_MAP_BASE = {
  width: 128,
  depth: 3,
  frequencies: 8,
  sigmaData: 1,
  epsilon: SIGMA_MIN,
  sigmaMax: SIGMA_MAX,
  trajectories: 4096,
  levels: 40,
  batchSize: 256,
  learningRate: 0.003,
  emaDecay: 0.995,
  seed: 0,
};

export const FLOW_MAP_SETTINGS: Readonly<Record<FlowMapKind, FlowMapTrainingSettings>> = {
  'consistency-flowmap': { ...FLOW_MAP_BASE, steps: 2000 },
  'ctm-flowmap': { ...FLOW_MAP_BASE, steps: 1500 },
  'meanflow-flowmap': { ...FLOW_MAP_BASE, steps: 3000 },
};

/** γ of the 2-jump samples: consistency models re-noise (γ = 1); the others jump along the ODE. */
const TWO_JUMP_GAMMA: Readonly<Record<FlowMapKind, number>> = {
  'consistency-flowmap': 1,
  'ctm-flowmap': 0,
  'meanflow-flowmap': 0,
};

interface Row {
  readonly set: string;
  readonly model: string;
  readonly sampler: string;
  readonly nfe: number;
  readonly sw: number;
  readonly reference: string;
  readonly ratio: number;
  readonly trainSeconds?: number;
}

const hooks = { checkpoint: async () => {}, progress: () => {}, frame: () => {}, addNfe: () => {} };

async function measure(set: Toy2dShape, log: (line: string) => void): Promise<Row[]> {
  const training = generateToy2d(set, TRAINING_POINTS, 1, 0.05);
  const heldOut = generateToy2d(set, HELD_OUT_POINTS, 77, 0.05);
  const target = { values: heldOut.points, n: HELD_OUT_POINTS, dim: 2 };
  const sw = async (points: tf.Tensor2D) =>
    slicedWasserstein({ values: await points.data(), n: SAMPLES, dim: 2 }, target, {
      projections: 256,
      seed: 1,
    });
  const noise = tf.tensor2d(
    createRng(5)
      .fillNormal(new Float32Array(SAMPLES * 2))
      .map((z) => SIGMA_MAX * z),
    [SAMPLES, 2],
  );
  const timesteps = timestepsFromSigmas(
    edmSchedule({ sigmaMin: SIGMA_MIN, sigmaMax: SIGMA_MAX }),
    karrasSigmas(20, SIGMA_MIN, SIGMA_MAX, 7),
  );
  const heun20 = async (denoiser: Denoiser) => {
    const { samples, trajectory } = await solve({
      algorithm: heun,
      denoiser,
      timesteps,
      x: noise,
      hooks,
    });
    const value = await sw(samples);
    samples.dispose();
    return { sw: value, nfe: trajectory.nfe };
  };

  const rows: Row[] = [];
  const fresh = generateToy2d(set, SAMPLES, 123, 0.05);
  const floor = slicedWasserstein({ values: fresh.points, n: SAMPLES, dim: 2 }, target, {
    projections: 256,
    seed: 1,
  });
  rows.push({
    set,
    model: 'independent data draw (floor)',
    sampler: '—',
    nfe: 0,
    sw: floor,
    reference: '—',
    ratio: 1,
  });
  log(`${set}: an independent draw of the data: SW ${floor.toFixed(4)}`);
  const trainingPoints = tf.tensor2d(Float32Array.from(training.points), [TRAINING_POINTS, 2]);
  const exact = createEmpiricalDenoiser(trainingPoints);
  const exactRun = await heun20(exact);
  exact.dispose();
  trainingPoints.dispose();
  rows.push({
    set,
    model: 'exact (empirical) denoiser',
    sampler: 'heun 20',
    nfe: exactRun.nfe,
    sw: exactRun.sw,
    reference: '—',
    ratio: 1,
  });
  log(`${set}: exact denoiser, heun 20: SW ${exactRun.sw.toFixed(4)}`);

  let started = performance.now();
  const trainedDenoiser = await trainMlpDenoiser(
    { values: Float32Array.from(training.points), n: TRAINING_POINTS, dim: 2 },
    DENOISER_SETTINGS,
  );
  const denoiserSeconds = (performance.now() - started) / 1000;
  const teacher = createMlpDenoiser(trainedDenoiser);
  const teacherRun = await heun20(teacher);
  rows.push({
    set,
    model: 'MLP denoiser',
    sampler: 'heun 20',
    nfe: teacherRun.nfe,
    sw: teacherRun.sw,
    reference: 'exact, heun 20',
    ratio: teacherRun.sw / exactRun.sw,
    trainSeconds: denoiserSeconds,
  });
  log(
    `${set}: MLP denoiser (${denoiserSeconds.toFixed(0)} s), heun 20: SW ${teacherRun.sw.toFixed(4)}`,
  );

  for (const kind of Object.keys(FLOW_MAP_SETTINGS) as FlowMapKind[]) {
    started = performance.now();
    const trained = await trainFlowMap(kind, teacher, FLOW_MAP_SETTINGS[kind]);
    const seconds = (performance.now() - started) / 1000;
    const flowMap = createLearnedFlowMap(trained.model);
    for (const jumps of [1, 2]) {
      const gamma = jumps === 1 ? 0 : TWO_JUMP_GAMMA[kind];
      const levels =
        jumps === 1 ? Float64Array.of(SIGMA_MAX, 0) : Float64Array.of(SIGMA_MAX, TWO_JUMP_LEVEL, 0);
      const { samples } = await sampleWithFlowMap({
        flowMap,
        x: noise,
        levels,
        gamma,
        seed: 3,
        hooks,
      });
      const value = await sw(samples);
      samples.dispose();
      rows.push({
        set,
        model: kind,
        sampler: `${jumps} jump${jumps > 1 ? 's' : ''}, γ ${gamma}`,
        nfe: jumps,
        sw: value,
        reference: 'MLP teacher, heun 20',
        ratio: value / teacherRun.sw,
        trainSeconds: seconds,
      });
      log(`${set}: ${kind} (${seconds.toFixed(0)} s), ${jumps} jump(s): SW ${value.toFixed(4)}`);
    }
    flowMap.dispose();
  }
  teacher.dispose();
  noise.dispose();
  return rows;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { sets: { type: 'string' }, json: { type: 'boolean' } },
  });
  const sets = (values.sets ?? 'two_moons,eight_gaussians').split(',') as Toy2dShape[];
  for (const set of sets) {
    if (!TOY_2D_SHAPES.includes(set))
      throw new Error(`unknown toy set "${set}" (${TOY_2D_SHAPES.join(', ')})`);
  }
  await initNodeBackend('wasm');
  const log = (line: string) => void process.stderr.write(line + '\n');
  const rows: Row[] = [];
  for (const set of sets) rows.push(...(await measure(set, log)));
  const failing = rows.filter((row) => row.ratio > MAX_RATIO);
  if (values.json) {
    process.stdout.write(
      JSON.stringify({ maxRatio: MAX_RATIO, rows, ok: failing.length === 0 }, null, 2) + '\n',
    );
  } else {
    process.stdout.write(
      '| set | model | sampler | NFE | SW2 | vs | ratio |\n|---|---|---|---|---|---|---|\n' +
        rows
          .map(
            (r) =>
              `| ${r.set} | ${r.model} | ${r.sampler} | ${r.nfe} | ${r.sw.toFixed(4)} | ${r.reference} | ${r.ratio.toFixed(2)} |`,
          )
          .join('\n') +
        `\n\n${failing.length === 0 ? 'all ratios ≤ 2' : `${failing.length} ratio(s) above 2`}\n`,
    );
  }
  return failing.length === 0 ? 0 : 1;
}

process.exitCode = await main();
