// The preview's data side: frames fold into per-solver trajectories across runs, long ones are
// decimated instead of growing without bound, node states follow the events, the spread readout
// and density contours measure what they say; image-shaped points keep their shape from the
// engine's frames to the preview, are capped per frame by it, and tile gray and RGB at [−1, 1].
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogue, compileGraph, Executor, type GraphDocument } from '../../graph-nodes';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import type { FramePointsEvent } from '../../renderer/engine/engine-protocol';
import {
  chooseFrameShape,
  frameLayoutOf,
  framePointsEvent,
} from '../../renderer/engine/frame-points';
import {
  firstRows,
  MAX_PREVIEW_IMAGES,
  MAX_PREVIEW_POINTS,
  previewRowCount,
} from '../../renderer/engine/preview-data';
import {
  cloudImageLayout,
  fitGrid,
  gridSize,
  paddingFor,
  tileImages,
} from '../../renderer/preview/image-tiles';
import { densityContours, type Segment } from '../../renderer/preview/density-contours';
import { spreadOf } from '../../renderer/preview/frame-stats';
import {
  decimateFrames,
  PREVIEW_FRAME_BYTES,
  runStore,
  useRunStore,
  type TrajectoryFrame,
} from '../../renderer/run/run-store';
import { createRng } from '../../graph-nodes/math/rng';

const PRESETS = join(__dirname, '../../presets');

function frameEvent(nodeId: string, step: number, count = 4, value = step): FramePointsEvent {
  return {
    type: 'node-frame-points',
    nodeId,
    step,
    t: 1 / (step + 1),
    sigmaTilde: 1 / (step + 1),
    points: { values: new Float32Array(count * 2).fill(value), count, dim: 2, shape: [2] },
    totalCount: count,
  };
}

const summary = (ids: string[], ok = true) => ({
  ok,
  cancelled: false,
  ms: 1,
  nodes: Object.fromEntries(ids.map((id) => [id, { status: 'done' as const, ms: 1, nfe: 2 }])),
});

beforeEach(() => {
  useRunStore.setState({ trajectories: {}, nodes: {}, runCount: 0, phase: 'idle' });
});

describe('trajectories in the run store', () => {
  it('collect a run’s frames per solver and start over with the next run', () => {
    runStore.begin();
    runStore.apply({ type: 'run-start', order: ['a', 'b'] });
    expect(useRunStore.getState().nodes).toEqual({
      a: { phase: 'queued' },
      b: { phase: 'queued' },
    });
    for (const step of [0, 1, 2]) runStore.apply(frameEvent('a', step));
    runStore.apply({ type: 'node-progress', nodeId: 'a', step: 2, steps: 2 });
    expect(useRunStore.getState().nodes['a']).toEqual({ phase: 'running', step: 2, steps: 2 });
    runStore.finish(summary(['a', 'b']), {});
    const first = useRunStore.getState().trajectories['a']!;
    expect(first.frames.map((frame) => frame.step)).toEqual([0, 1, 2]);
    expect(useRunStore.getState().liveNodeId).toBe('a');

    // The old frames stay on screen until the new run's first frame replaces them.
    runStore.begin();
    expect(useRunStore.getState().trajectories['a']).toBe(first);
    runStore.apply(frameEvent('a', 0, 4, 9));
    const second = useRunStore.getState().trajectories['a']!;
    expect(second.frames).toHaveLength(1);
    expect(second.frames[0]!.points.values[0]).toBe(9);
    expect(second.run).toBe(first.run + 1);
  });

  it('drop what nodes that left the graph produced', () => {
    runStore.begin();
    runStore.apply(frameEvent('gone', 0));
    runStore.finish(summary(['kept']), {});
    expect(useRunStore.getState().trajectories).toEqual({});
  });

  it('keep the states of nodes outside a branch run', () => {
    runStore.begin();
    runStore.finish(summary(['a', 'b']), {});
    runStore.begin();
    runStore.apply({ type: 'run-start', order: ['a'] });
    runStore.finish(
      {
        ...summary(['a']),
        nodes: { a: { status: 'cached', ms: 0, nfe: 2 }, b: { status: 'skipped', ms: 0, nfe: 0 } },
      },
      {},
    );
    expect(useRunStore.getState().nodes['a']?.phase).toBe('cached');
    expect(useRunStore.getState().nodes['b']?.phase).toBe('done');
  });

  it('decimate a preview that outgrows its budget, keeping the first and newest frames', () => {
    // Frames of 1 MiB each (two arrays of 64 Ki floats).
    const big = (step: number): TrajectoryFrame => ({
      step,
      t: 0,
      sigmaTilde: 0,
      points: { values: new Float32Array(65536 * 2), count: 65536, dim: 2, shape: [2] },
      x0hat: { values: new Float32Array(65536 * 2), count: 65536, dim: 2, shape: [2] },
      totalCount: 65536,
    });
    const perFrame = 2 * 65536 * 2 * 4;
    const fits = Math.floor(PREVIEW_FRAME_BYTES / perFrame);
    const frames = Array.from({ length: fits }, (_, k) => big(k));
    expect(decimateFrames(frames)).toBe(frames);
    const over = [...frames, big(fits)];
    const kept = decimateFrames(over);
    expect(kept.length).toBeLessThanOrEqual(Math.ceil(over.length / 2) + 1);
    expect(kept[0]!.step).toBe(0);
    expect(kept.at(-1)!.step).toBe(fits);
    // Steps stay in order, so the timeline stays truthful.
    expect(kept.every((frame, k) => k === 0 || frame.step > kept[k - 1]!.step)).toBe(true);
  });
});

describe('frame readouts', () => {
  it('measure the spread as the RMS deviation per coordinate', () => {
    const rng = createRng(1);
    const values = rng.fillNormal(new Float32Array(40_000)).map((z) => 80 * z + 3);
    expect(spreadOf(values, 2)).toBeCloseTo(80, -0.5);
    expect(spreadOf(Float32Array.of(1, 1, 1, 1), 2)).toBe(0);
  });
});

describe('density contours (d3-contour)', () => {
  /** Segment ends, rounded: a closed contour meets every end exactly twice. */
  function closed(segments: readonly Segment[]): boolean {
    const key = (x: number, y: number) => `${x.toFixed(6)},${y.toFixed(6)}`;
    const ends = new Map<string, number>();
    for (const [x1, y1, x2, y2] of segments)
      for (const end of [key(x1, y1), key(x2, y2)]) ends.set(end, (ends.get(end) ?? 0) + 1);
    return [...ends.values()].every((count) => count % 2 === 0);
  }

  it('trace a closed ring around a single blob at the requested level', () => {
    const bounds = { xMin: -3, xMax: 3, yMin: -3, yMax: 3 };
    const rng = createRng(2);
    const values = rng.fillNormal(new Float32Array(20_000)).map((z) => 0.5 * z);
    const [ring] = densityContours(values, 2, bounds, [0.5]);
    expect(ring!.length).toBeGreaterThan(10);
    // A Gaussian's half-peak contour lies at r = σ √(2 ln 2) ≈ 0.59 (a little wider after smoothing).
    const radii = ring!.map(([x1, y1]) => Math.hypot(x1, y1));
    const mean = radii.reduce((a, b) => a + b, 0) / radii.length;
    expect(mean).toBeGreaterThan(0.55);
    expect(mean).toBeLessThan(0.8);
    // Round: no point strays far from the mean radius.
    for (const radius of radii) expect(Math.abs(radius - mean)).toBeLessThan(0.12);
    expect(closed(ring!)).toBe(true);
  });

  it('nest the levels: a higher fraction of the peak draws a smaller ring', () => {
    const bounds = { xMin: -3, xMax: 3, yMin: -3, yMax: 3 };
    const values = createRng(4)
      .fillNormal(new Float32Array(4000))
      .map((z) => 0.6 * z);
    const levels = densityContours(values, 2, bounds);
    expect(levels).toHaveLength(4);
    const meanRadius = (segments: readonly Segment[]) =>
      segments.reduce((sum, [x1, y1]) => sum + Math.hypot(x1, y1), 0) / segments.length;
    const radii = levels.map(meanRadius);
    for (let k = 1; k < radii.length; k++) expect(radii[k]!).toBeLessThan(radii[k - 1]!);
    for (const level of levels) expect(closed(level)).toBe(true);
  });

  it('separate two far-apart blobs and give nothing for an empty view', () => {
    const bounds = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };
    const rng = createRng(3);
    const values = rng
      .fillNormal(new Float32Array(8000))
      .map((z, i) => 0.3 * z + (i % 4 === 0 ? -2 : i % 4 === 2 ? 2 : 0));
    const [, , high] = densityContours(values, 2, bounds);
    const xs = high!.map(([x1]) => x1);
    expect(xs.some((x) => x < -1)).toBe(true);
    expect(xs.some((x) => x > 1)).toBe(true);
    expect(xs.some((x) => Math.abs(x) < 0.5)).toBe(false);
    expect(densityContours(new Float32Array(0), 2, bounds).flat()).toEqual([]);
    // Points all outside the view (and its margin) give no contours either.
    expect(densityContours(Float32Array.of(100, 100, 101, 100), 2, bounds).flat()).toEqual([]);
  });

  it('read x and y from rows of any width', () => {
    const bounds = { xMin: -3, xMax: 3, yMin: -3, yMax: 3 };
    const flat = createRng(5)
      .fillNormal(new Float32Array(4000))
      .map((z) => 0.5 * z + 1);
    const wide = new Float32Array(3 * 2000);
    for (let i = 0; i < 2000; i++) wide.set([flat[2 * i]!, flat[2 * i + 1]!, 99], 3 * i);
    expect(densityContours(wide, 3, bounds)).toEqual(densityContours(flat, 2, bounds));
  });
});

describe('preview row caps', () => {
  it('send a few images, a whole 2-D cloud up to its cap, and long vectors by their values', () => {
    expect(previewRowCount(100, [1, 28, 28])).toBe(MAX_PREVIEW_IMAGES);
    expect(previewRowCount(100, [3, 32, 32])).toBe(MAX_PREVIEW_IMAGES);
    // A flat square vector is a flattened image.
    expect(previewRowCount(100, [784])).toBe(MAX_PREVIEW_IMAGES);
    expect(previewRowCount(5, [1, 28, 28])).toBe(5);
    expect(previewRowCount(50_000, [2])).toBe(MAX_PREVIEW_POINTS);
    expect(previewRowCount(1000, [2])).toBe(1000);
    // Neither a plane nor an image: no more values than a full 2-D frame.
    expect(previewRowCount(50_000, [785])).toBe(Math.floor((2 * MAX_PREVIEW_POINTS) / 785));
    expect(previewRowCount(50_000, [3])).toBe(Math.floor((2 * MAX_PREVIEW_POINTS) / 3));
  });

  it('copy rows with their shape', () => {
    const values = Float32Array.from({ length: 3 * 16 }, (_, i) => i);
    const cloud = firstRows(values, [1, 4, 4], 2);
    expect(cloud).toMatchObject({ count: 2, dim: 16, shape: [1, 4, 4] });
    expect(cloud.values).toHaveLength(32);
    expect(cloud.values.buffer).not.toBe(values.buffer);
  });
});

describe('frame shapes', () => {
  it('come from the facts, else the input samples, and never have the wrong size', () => {
    expect(chooseFrameShape(784, [[1, 28, 28], [784]])).toEqual([1, 28, 28]);
    expect(chooseFrameShape(784, [undefined, [1, 28, 28]])).toEqual([1, 28, 28]);
    // Facts from another graph (a size that disagrees with the frame) are passed over.
    expect(
      chooseFrameShape(784, [
        [3, 32, 32],
        [28, 28],
      ]),
    ).toEqual([28, 28]);
    expect(chooseFrameShape(2, [[1, 28, 28], undefined])).toEqual([2]);
  });

  it('reach the UI’s frame events from a real run of image-shaped samples', async () => {
    await tf.setBackend('cpu');
    const preset = JSON.parse(
      readFileSync(join(PRESETS, 'fashion-mnist-memorises.graph.json'), 'utf8'),
    ) as GraphDocument;
    // Small enough for the cpu backend: 24 images of data, 20 samples, 3 steps.
    const node = (id: string) => preset.nodes.find((candidate) => candidate.id === id)!;
    node('data').params['count'] = 24;
    node('prior').params['count'] = 20;
    node('timesteps').params['steps'] = 3;
    const executor = new Executor({ files: nodeFileHost(PRESETS) });
    const plan = await executor.probe(compileGraph(preset, catalogue));
    expect(plan.facts.get('solver')?.['trajectory']?.shape).toEqual([1, 28, 28]);
    const events: FramePointsEvent[] = [];
    const summary = await executor.run(plan, {
      targets: ['solver'],
      onEvent: (event) => {
        if (event.type !== 'node-frame') return;
        const layout = frameLayoutOf(plan, event.nodeId, (id, port) => executor.output(id, port));
        events.push(framePointsEvent(event.nodeId, event.frame, layout));
      },
    });
    executor.dispose();
    expect(summary.ok).toBe(true);
    expect(events.map((event) => event.step)).toEqual([0, 1, 2, 3]);
    for (const event of events) {
      expect(event.points).toMatchObject({
        count: MAX_PREVIEW_IMAGES,
        dim: 784,
        shape: [1, 28, 28],
      });
      expect(event.points.values).toHaveLength(MAX_PREVIEW_IMAGES * 784);
      expect(event.totalCount).toBe(20);
      if (event.step > 0) expect(event.x0hat?.shape).toEqual([1, 28, 28]);
    }
    expect(events[0]!.x0hat).toBeUndefined();
  });
});

describe('image tiles', () => {
  const unit = { columns: 2, zoom: 1, padding: 1 };

  it('read the layout from the shape, not from the number of values', () => {
    const cloud = (shape: number[]) => ({
      values: new Float32Array(0),
      count: 0,
      dim: shape.reduce((a, b) => a * b, 1),
      shape,
    });
    expect(cloudImageLayout(cloud([1, 28, 28]))).toEqual({ channels: 1, height: 28, width: 28 });
    expect(cloudImageLayout(cloud([3, 32, 32]))).toEqual({ channels: 3, height: 32, width: 32 });
    expect(cloudImageLayout(cloud([784]))).toEqual({ channels: 1, height: 28, width: 28 });
    expect(cloudImageLayout(cloud([2]))).toBeUndefined();
    // 16 values, but two channels are no image layout (and a flat 15 is no square).
    expect(cloudImageLayout(cloud([2, 2, 4]))).toBeUndefined();
    expect(cloudImageLayout(cloud([15]))).toBeUndefined();
  });

  it('tile gray images over [−1, 1] with a gray gap', () => {
    const black = new Array<number>(16).fill(-1);
    const white = new Array<number>(16).fill(1);
    const tiles = tileImages(
      { values: Float32Array.of(...black, ...white), count: 2, dim: 16, shape: [1, 4, 4] },
      unit,
    )!;
    // Two 4×4 tiles with a one-pixel border: 11 × 6.
    expect([tiles.width, tiles.height]).toEqual([11, 6]);
    const pixel = (x: number, y: number) => [
      ...tiles.rgba.subarray(4 * (y * 11 + x), 4 * (y * 11 + x) + 4),
    ];
    expect(pixel(1, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(6, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(0, 0)).toEqual([128, 128, 128, 255]);
  });

  it('tile RGB images from channels-first values', () => {
    // One 4×4 image: red plane at +1, green at −1, blue at 0, except pixel (0, 0) all −1.
    const values = new Float32Array(3 * 16);
    values.fill(1, 0, 16);
    values.fill(-1, 16, 32);
    values.fill(0, 32, 48);
    values[0] = values[16] = values[32] = -1;
    const tiles = tileImages({ values, count: 1, dim: 48, shape: [3, 4, 4] }, unit)!;
    expect([tiles.width, tiles.height]).toEqual([6, 6]);
    const pixel = (x: number, y: number) => [
      ...tiles.rgba.subarray(4 * (y * 6 + x), 4 * (y * 6 + x) + 4),
    ];
    expect(pixel(1, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(2, 1)).toEqual([255, 0, 128, 255]);
    expect(pixel(4, 4)).toEqual([255, 0, 128, 255]);
  });

  it('zoom each image pixel into a whole block, with a gap of one image pixel', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : -1));
    const tiles = tileImages(
      { values, count: 1, dim: 16, shape: [4, 4] },
      { columns: 1, zoom: 3, padding: paddingFor(3) },
    )!;
    expect([tiles.width, tiles.height]).toEqual([3 * 4 + 6, 3 * 4 + 6]);
    const at = (x: number, y: number) => tiles.rgba[4 * (y * tiles.width + x)];
    // Image pixel (0, 0) is white and covers 3 × 3 screen pixels; its neighbour is black.
    expect([at(3, 3), at(5, 5), at(6, 3), at(3, 6)]).toEqual([255, 255, 0, 0]);
    expect(tileImages({ values, count: 1, dim: 16, shape: [16] }, unit)).toBeDefined();
    expect(tileImages({ values, count: 1, dim: 16, shape: [2, 2, 4] }, unit)).toBeUndefined();
  });

  it('fit the largest whole zoom into the room, without needless empty places', () => {
    const fashion = { channels: 1, height: 28, width: 28 } as const;
    // A square room: 4 × 4 tiles at zoom 4 (4 · 29 · 4 + 4 = 468 ≤ 476).
    expect(fitGrid(16, fashion, { width: 476, height: 476 })).toEqual({
      columns: 4,
      zoom: 4,
      padding: 4,
    });
    // A wide, low room: one row.
    expect(fitGrid(16, fashion, { width: 1000, height: 70 })).toMatchObject({
      columns: 16,
      zoom: 2,
    });
    // A tall, narrow one: two columns.
    expect(fitGrid(16, fashion, { width: 130, height: 1000 })).toMatchObject({
      columns: 2,
      zoom: 2,
    });
    // Room for 2 × 8 or 4 × 4 at the same zoom: the square grid.
    expect(fitGrid(16, fashion, { width: 239, height: 594 })).toMatchObject({
      columns: 4,
      zoom: 2,
    });
    // Among equally large grids, none with needless empty places (5 × 4 for 20, not 6 × 4).
    expect(fitGrid(20, fashion, { width: 1000, height: 1000 }).columns).toBe(5);
    // No room even at zoom 1: zoom 1, about square (the view shrinks it).
    expect(fitGrid(16, fashion, { width: 20, height: 20 })).toEqual({
      columns: 4,
      zoom: 1,
      padding: 1,
    });
    for (const box of [
      { width: 239, height: 594 },
      { width: 300, height: 300 },
    ]) {
      const fit = fitGrid(16, fashion, box);
      const size = gridSize(16, fashion, fit);
      expect(size.width).toBeLessThanOrEqual(box.width);
      expect(size.height).toBeLessThanOrEqual(box.height);
    }
  });
});
