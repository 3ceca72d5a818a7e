// The run history: at most 20 entries, newest first; the auto-runs of one slider drag merge into
// one entry whose changes count from before the drag; runs of another document are kept with its
// title and are not diffed against; and what an entry keeps of a trajectory fits its budget.
import { readFileSync } from 'node:fs';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-nodes';
import { describeChanges } from '../../renderer/history/history-format';
import {
  HISTORY_LIMIT,
  historyState,
  useHistoryStore,
  withRun,
  type FinishedRun,
  type RunHistoryEntry,
} from '../../renderer/history/history-store';
import {
  describeKept,
  ENTRY_BYTES,
  MIN_POINTS,
  snapshotTrajectory,
} from '../../renderer/history/trajectory-snapshot';
import type { TrajectoryFrame, TrajectoryRecord } from '../../renderer/run/run-store';

const preset = JSON.parse(
  readFileSync(new URL('../../presets/default.graph.json', import.meta.url), 'utf8'),
) as GraphDocument;

function withSteps(document: GraphDocument, steps: number): GraphDocument {
  return produce(document, (draft) => {
    draft.nodes.find((node) => node.id === 'timesteps')!.params['steps'] = steps;
  });
}

function frame(step: number, count: number, shape: number[] = [2]): TrajectoryFrame {
  const dim = shape.reduce((product, size) => product * size, 1);
  const values = new Float32Array(count * dim).map((_, k) => step + k);
  const cloud = { values, count, dim, shape };
  return {
    step,
    t: step,
    sigmaTilde: step,
    points: cloud,
    ...(step > 0 ? { x0hat: { ...cloud, values: values.slice() } } : {}),
    totalCount: count,
  };
}

function trajectory(steps: number, count = 4, shape?: number[]): TrajectoryRecord {
  return {
    nodeId: 'solver',
    frames: Array.from({ length: steps + 1 }, (_, step) => frame(step, count, shape)),
    steps,
    run: 1,
  };
}

let nextId = 1;
function run(document: GraphDocument, extra: Partial<FinishedRun> = {}): FinishedRun {
  const record = trajectory(2);
  return {
    id: nextId++,
    finishedAt: 1_700_000_000_000,
    ms: 120,
    document,
    documentLoad: 0,
    documentTitle: document.title ?? 'Untitled graph',
    trajectory: record,
    kept: snapshotTrajectory(record).kept,
    scene: { backdrop: { mixture: [] } },
    ...extra,
  };
}

function record(runs: readonly FinishedRun[]): readonly RunHistoryEntry[] {
  return runs.reduce<readonly RunHistoryEntry[]>(withRun, []);
}

describe('run history entries', () => {
  it('keeps the newest 20 runs, newest first', () => {
    const runs = Array.from({ length: 25 }, (_, k) => run(withSteps(preset, k + 1)));
    const entries = record(runs);
    expect(HISTORY_LIMIT).toBe(20);
    expect(entries).toHaveLength(20);
    expect(entries.map((entry) => entry.id)).toEqual(
      runs
        .slice(5)
        .map((entry) => entry.id)
        .reverse(),
    );
    // Each is diffed against the run before it, even once the oldest have gone.
    expect(describeChanges(entries.at(-1)!)).toEqual(['timesteps.steps 5 → 6']);
  });

  it('the store caps what it records too', () => {
    useHistoryStore.setState({ entries: [], shownId: undefined });
    for (let k = 0; k < HISTORY_LIMIT + 3; k++) historyState.record(run(withSteps(preset, k + 1)));
    expect(useHistoryStore.getState().entries).toHaveLength(HISTORY_LIMIT);
    expect(describeChanges(useHistoryStore.getState().entries[0]!)).toEqual([
      `timesteps.steps ${HISTORY_LIMIT + 2} → ${HISTORY_LIMIT + 3}`,
    ]);
  });

  it('says what changed since the run before; the first run of a document is one', () => {
    const first = run(preset);
    const second = run(withSteps(preset, 40));
    const entries = record([first, second]);
    expect(describeChanges(entries[1]!)).toEqual([`first run of ${preset.title}`]);
    expect(describeChanges(entries[0]!)).toEqual(['timesteps.steps 20 → 40']);
    expect(describeChanges(record([first, run(preset)])[0]!)).toEqual(['no changes (re-run)']);
  });

  it('merges the runs of one slider drag into one entry, counted from before the drag', () => {
    const before = run(preset);
    const drag = [21, 25, 33, 40].map((steps) =>
      run(withSteps(preset, steps), { gesture: '0:3:param:timesteps.steps' }),
    );
    const entries = record([before, ...drag]);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.id).toBe(drag.at(-1)!.id);
    expect(entries[0]!.runs).toBe(4);
    expect(describeChanges(entries[0]!)).toEqual(['timesteps.steps 20 → 40']);
  });

  it('keeps separate edits, separate drags and re-runs of one drag result apart', () => {
    const a = run(withSteps(preset, 30), { gesture: '0:3:param:timesteps.steps' });
    // The next drag of the same slider is a new undo step.
    const b = run(withSteps(preset, 35), { gesture: '0:4:param:timesteps.steps' });
    // Run again with nothing changed: the same document, so not a tick of the drag.
    const c = run(b.document, { gesture: b.gesture! });
    const d = run(withSteps(preset, 50));
    const entries = record([a, b, c, d]);
    expect(entries.map((entry) => entry.id)).toEqual([d.id, c.id, b.id, a.id]);
    expect(entries.every((entry) => entry.runs === 1)).toBe(true);
  });

  it('keeps runs of an earlier document with its title, and does not diff across documents', () => {
    const other = { ...preset, title: 'Another graph' };
    const entries = record([
      run(preset),
      run(withSteps(preset, 40)),
      run(other, { documentLoad: 1 }),
      run(withSteps(other, 10), { documentLoad: 1 }),
    ]);
    expect(entries.map((entry) => entry.documentTitle)).toEqual([
      'Another graph',
      'Another graph',
      preset.title,
      preset.title,
    ]);
    expect(describeChanges(entries[1]!)).toEqual(['first run of Another graph']);
    expect(describeChanges(entries[0]!)).toEqual(['timesteps.steps 20 → 10']);
    expect(describeChanges(entries[2]!)).toEqual(['timesteps.steps 20 → 40']);
  });

  it('shows an older entry and goes back to the latest', () => {
    useHistoryStore.setState({ entries: record([run(preset)]), shownId: undefined });
    const id = useHistoryStore.getState().entries[0]!.id;
    historyState.show(id);
    expect(useHistoryStore.getState().shownId).toBe(id);
    historyState.showLatest();
    expect(useHistoryStore.getState().shownId).toBeUndefined();
  });
});

describe('what an entry keeps of a trajectory', () => {
  it('keeps a trajectory within budget whole, sharing its arrays', () => {
    const whole = trajectory(20, 2000);
    const { record: kept, kept: size } = snapshotTrajectory(whole);
    expect(kept).toBe(whole);
    expect(describeKept(size)).toBeUndefined();
  });

  it('thins particles first, keeping every step and the same particles in each frame', () => {
    const big = trajectory(150, 2000); // 151 frames × 2000 points × 2 clouds × 8 bytes ≈ 4.8 MB
    const { record: kept, kept: size } = snapshotTrajectory(big);
    const bytes = kept.frames.reduce(
      (total, entry) =>
        total + entry.points.values.byteLength + (entry.x0hat?.values.byteLength ?? 0),
      0,
    );
    expect(bytes).toBeLessThanOrEqual(ENTRY_BYTES);
    expect(kept.frames.map((entry) => entry.step)).toEqual(big.frames.map((entry) => entry.step));
    expect(size.points).toBeLessThan(2000);
    expect(size.points).toBeGreaterThan(1000);
    expect(kept.frames[50]!.points.values).toEqual(
      big.frames[50]!.points.values.slice(0, size.points * 2),
    );
    expect(kept.frames[50]!.totalCount).toBe(2000);
    expect(describeKept(size)).toMatch(/^kept \d+ of 2000 points, every step/);
  });

  it('drops frames, evenly and keeping the last, only when MIN_POINTS would not fit', () => {
    const long = trajectory(1000, 2000);
    const { record: kept, kept: size } = snapshotTrajectory(long, 1024 ** 2);
    expect(size.points).toBe(MIN_POINTS);
    expect(size.frames).toBeLessThan(1001);
    expect(kept.frames[0]!.step).toBe(0);
    expect(kept.frames.at(-1)!.step).toBe(1000);
    const bytes = kept.frames.reduce(
      (total, entry) =>
        total + entry.points.values.byteLength + (entry.x0hat?.values.byteLength ?? 0),
      0,
    );
    expect(bytes).toBeLessThanOrEqual(1024 ** 2);
    expect(describeKept(size)).toContain(`of 1001 frames`);
  });

  it('keeps every image the dock had and drops frames instead', () => {
    const images = trajectory(50, 16, [1, 28, 28]); // 101 clouds × 16 × 784 × 4 bytes ≈ 5 MB
    const { record: kept, kept: size } = snapshotTrajectory(images);
    expect(size.points).toBe(16);
    expect(size.frames).toBeLessThan(51);
    expect(kept.frames.at(-1)!.step).toBe(50);
    expect(kept.frames[1]!.points.shape).toEqual([1, 28, 28]);
    expect(describeKept(size)).toMatch(/^kept 16 of 16 images, \d+ of 51 frames/);
  });
});
