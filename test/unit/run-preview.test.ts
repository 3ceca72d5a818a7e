// The preview's data side: frames fold into per-solver trajectories across runs, long ones are
// decimated instead of growing without bound, node states follow the events, the spread readout
// and density contours measure what they say.
import { beforeEach, describe, expect, it } from 'vitest';
import type { FramePointsEvent } from '../../renderer/engine/engine-protocol';
import { densityContours, densityGrid, isoSegments } from '../../renderer/preview/density-contours';
import { spreadOf } from '../../renderer/preview/frame-stats';
import { imageSide, tileImages } from '../../renderer/preview/image-tiles';
import {
  decimateFrames,
  PREVIEW_FRAME_BYTES,
  runStore,
  useRunStore,
  type TrajectoryFrame,
} from '../../renderer/run/run-store';
import { createRng } from '../../graph-nodes/math/rng';

function frameEvent(nodeId: string, step: number, count = 4, value = step): FramePointsEvent {
  return {
    type: 'node-frame-points',
    nodeId,
    step,
    t: 1 / (step + 1),
    sigmaTilde: 1 / (step + 1),
    points: { values: new Float32Array(count * 2).fill(value), count, dim: 2 },
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
      points: { values: new Float32Array(65536 * 2), count: 65536, dim: 2 },
      x0hat: { values: new Float32Array(65536 * 2), count: 65536, dim: 2 },
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

  it('recognise square images and tile them at [−1, 1]', () => {
    expect(imageSide(784)).toBe(28);
    expect(imageSide(2)).toBeUndefined();
    expect(imageSide(785)).toBeUndefined();
    const tiles = tileImages(
      { values: Float32Array.of(...Array(16).fill(-1), ...Array(16).fill(1)), count: 2, dim: 16 },
      2,
    )!;
    // Two 4×4 tiles with a one-pixel border: 11 × 6.
    expect([tiles.width, tiles.height]).toEqual([11, 6]);
    expect(tiles.rgba[4 * (1 * 11 + 1)]).toBe(0); // first tile is black
    expect(tiles.rgba[4 * (1 * 11 + 6)]).toBe(255); // second tile is white
  });
});

describe('density contours', () => {
  it('trace a closed ring around a single blob at the requested level', () => {
    const bounds = { xMin: -3, xMax: 3, yMin: -3, yMax: 3 };
    const rng = createRng(2);
    const values = rng.fillNormal(new Float32Array(20_000)).map((z) => 0.5 * z);
    const grid = densityGrid(values, 2, bounds, 48, 1.5);
    let peak = 0;
    for (const value of grid.values) peak = Math.max(peak, value);
    const ring = isoSegments(grid, 0.5 * peak);
    expect(ring.length).toBeGreaterThan(10);
    // A Gaussian's half-peak contour lies at r = σ √(2 ln 2) ≈ 0.59 (a little wider after smoothing).
    const radii = ring.map(([x1, y1]) => Math.hypot(x1, y1));
    const mean = radii.reduce((a, b) => a + b, 0) / radii.length;
    expect(mean).toBeGreaterThan(0.55);
    expect(mean).toBeLessThan(0.8);
    // Closed: every segment end meets another segment's end.
    const key = (x: number, y: number) => `${x.toFixed(6)},${y.toFixed(6)}`;
    const ends = new Map<string, number>();
    for (const [x1, y1, x2, y2] of ring)
      for (const end of [key(x1, y1), key(x2, y2)]) ends.set(end, (ends.get(end) ?? 0) + 1);
    expect([...ends.values()].every((count) => count === 2)).toBe(true);
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
  });
});
