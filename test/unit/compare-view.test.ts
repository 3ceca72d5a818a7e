// The compare view's pure parts: which frame each panel shows, particle colours and the sortable
// table with its best values (the sweep chart's data: charts.test.ts).
import { describe, expect, it } from 'vitest';
import { frameIndexAt, framePositions, sigmaAt } from '../../renderer/compare/frame-sync';
import {
  bestPerColumn,
  COMPARE_COLUMNS,
  formatCell,
  sortRows,
  type BranchRow,
} from '../../renderer/compare/metrics-table';
import { particleColours } from '../../renderer/compare/particle-colours';

const coarse = [80, 10, 1, 0.1, 0];
const fine = [80, 40, 20, 10, 5, 2, 1, 0.5, 0.1, 0];

describe('frame sync', () => {
  it('by σ̃: every panel shows the last frame that has reached the shared noise level', () => {
    const runs = [coarse, fine];
    expect(sigmaAt(0, runs)).toBeCloseTo(80);
    expect(sigmaAt(1, runs)).toBe(0);
    expect(frameIndexAt(coarse, 0, 'sigma', runs)).toBe(0);
    expect(frameIndexAt(fine, 0, 'sigma', runs)).toBe(0);
    // σ̃ = 10 is a frame of both.
    const atTen = framePositions([10], 'sigma', runs)[0]!;
    expect(sigmaAt(atTen, runs)).toBeCloseTo(10);
    expect(frameIndexAt(coarse, atTen, 'sigma', runs)).toBe(1);
    expect(frameIndexAt(fine, atTen, 'sigma', runs)).toBe(3);
    // Between the coarse run's frames it keeps showing the frame it last reached.
    const atFive = framePositions([5], 'sigma', runs)[0]!;
    expect(frameIndexAt(coarse, atFive, 'sigma', runs)).toBe(1);
    expect(frameIndexAt(fine, atFive, 'sigma', runs)).toBe(4);
    expect(frameIndexAt(coarse, 1, 'sigma', runs)).toBe(4);
    expect(frameIndexAt(fine, 1, 'sigma', runs)).toBe(9);
  });

  it('by fraction: the nearest frame at the same share of the run', () => {
    expect(frameIndexAt(coarse, 0.5, 'fraction', [coarse, fine])).toBe(2);
    expect(frameIndexAt(fine, 0.5, 'fraction', [coarse, fine])).toBe(5);
    expect(framePositions(coarse, 'fraction', [coarse])).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(frameIndexAt([], 0.5, 'fraction', [])).toBe(-1);
  });
});

describe('particle colours', () => {
  it('depend on the starting point only, so every panel agrees', () => {
    const start = new Float32Array([1, 0, 0, 1, -1, 0, 1, 0.001]);
    const colours = particleColours(start, 4, 2);
    expect(colours[0]).toBe('hsl(0 85% 62%)');
    expect(colours[1]).toBe('hsl(90 85% 62%)');
    expect(colours[2]).toBe('hsl(180 85% 62%)');
    expect(colours[3]).toBe(colours[0]);
  });
});

describe('metrics table', () => {
  const rows: BranchRow[] = [
    { nodeId: 'euler', title: 'Euler', values: { nfe: 20, ms: 12, mean_l2: 0.05 } },
    { nodeId: 'heun', title: 'Heun', values: { nfe: 39, ms: 20, mean_l2: 0.018 } },
    { nodeId: 'dpmpp', title: 'DPM++', values: { nfe: 20, ms: 13, mean_l2: 0.03 } },
    { nodeId: 'broken', title: 'Failed', values: {} },
  ];

  it('sorts by a column either way, missing values last', () => {
    expect(sortRows(rows, { key: 'mean_l2', descending: false }).map((r) => r.nodeId)).toEqual([
      'heun',
      'dpmpp',
      'euler',
      'broken',
    ]);
    expect(sortRows(rows, { key: 'mean_l2', descending: true }).map((r) => r.nodeId)).toEqual([
      'euler',
      'dpmpp',
      'heun',
      'broken',
    ]);
    // Ties keep the branch order.
    expect(sortRows(rows, { key: 'nfe', descending: false }).map((r) => r.nodeId)).toEqual([
      'euler',
      'dpmpp',
      'heun',
      'broken',
    ]);
  });

  it('marks the smallest value of each column, ties included', () => {
    const best = bestPerColumn(rows, COMPARE_COLUMNS);
    expect([...best['nfe']!]).toEqual(['euler', 'dpmpp']);
    expect([...best['mean_l2']!]).toEqual(['heun']);
    expect([...best['swd']!]).toEqual([]);
    const tied = bestPerColumn(
      rows.map((row) => ({ ...row, values: { ...row.values, mmd2: 0 } })),
      COMPARE_COLUMNS,
    );
    expect([...tied['mmd2']!]).toEqual([]);
  });

  it('formats cells', () => {
    expect(formatCell(19.6, 0)).toBe('20');
    expect(formatCell(0.01234, 3)).toBe('0.012');
    expect(formatCell(0.000123, 3)).toBe('1.23e-4');
    expect(formatCell(undefined, 3)).toBe('–');
  });
});
