// The charts' pure parts: tick labels, log-axis ranges that start on round numbers, the loss
// curve's columns, the sweep's series aligned on one NFE column with their fitted orders, and the
// node cards' curves.
import { describe, expect, it } from 'vitest';
import { formatTick, logRange, tickLabels } from '../../renderer/charts/axis-ticks';
import {
  scheduleThumbnailData,
  timestepsThumbnailData,
  TIMESTEPS_THUMBNAIL,
} from '../../renderer/charts/curve-thumbnails';
import {
  legendLabel,
  sweepChartData,
  sweepChartLabel,
  sweepChartOptions,
} from '../../renderer/compare/sweep-chart';
import { lossSeries } from '../../renderer/training/loss-chart';
import type { SweepSeries } from '../../graph-nodes';

describe('tick labels', () => {
  it('writes plain digits between 0.01 and 10 000 and powers of ten beyond', () => {
    expect([0, 0.05, 0.2, 1, 2, 50, 1000, 10_000].map(formatTick)).toEqual([
      '0',
      '0.05',
      '0.2',
      '1',
      '2',
      '50',
      '1000',
      '10000',
    ]);
    expect([1e-5, 0.003, 2e6, 1e5].map(formatTick)).toEqual(['1e-5', '3e-3', '2e6', '1e5']);
    // Floating-point noise in a split does not reach the label.
    expect(formatTick(0.30000000000000004)).toBe('0.3');
  });

  it('leaves splits that uPlot filtered out (null) unlabelled', () => {
    expect(tickLabels([1, null, null, 4, null, 10])).toEqual(['1', '', '', '4', '', '10']);
  });
});

describe('log-axis range', () => {
  it('reaches out to the nearest one-digit numbers around the data', () => {
    expect(logRange(1.6, 1.95)).toEqual([1, 2]);
    expect(logRange(0.0347, 0.52)).toEqual([0.03, 0.6]);
    expect(logRange(3, 3)).toEqual([3, 5]);
    expect(logRange(0.02, 0.02)).toEqual([0.02, 0.03]);
    expect(logRange(2, 400)).toEqual([2, 400]);
  });

  it('falls back to one decade without positive data', () => {
    expect(logRange(null, null)).toEqual([1, 10]);
    expect(logRange(0, 5)).toEqual([1, 10]);
  });
});

describe('loss curve columns', () => {
  it('keeps the steps whose loss can sit on a log axis', () => {
    const progress = [
      { step: 25, steps: 100, loss: 2 },
      { step: 50, steps: 100, loss: 0 },
      { step: 75, steps: 100, loss: Number.NaN },
      { step: 100, steps: 100, loss: 0.5 },
    ];
    expect(lossSeries(progress)).toEqual([
      [25, 100],
      [2, 0.5],
    ]);
  });
});

const SERIES = [
  {
    label: 'euler',
    xAxis: 'nfe',
    order: 1.02,
    points: [
      { x: 5, nfe: 5, error: 0.2 },
      { x: 40, nfe: 40, error: 0.02 },
    ],
  },
  {
    label: 'heun',
    xAxis: 'nfe',
    order: 2.1,
    points: [
      { x: 9, nfe: 9, error: 0.3 },
      { x: 79, nfe: 79, error: 0.004 },
    ],
  },
  { label: 'dpm_fast', xAxis: 'nfe', points: [{ x: 9, nfe: 9, error: 0.1 }] },
];

describe('sweep chart', () => {
  it('puts every series on one ascending NFE column, undefined where a series has no point', () => {
    // undefined (not null) is uPlot's "no point here", which its lines pass over.
    expect(sweepChartData(SERIES)).toEqual([
      [5, 9, 40, 79],
      [0.2, undefined, 0.02, undefined],
      [undefined, 0.3, undefined, 0.004],
      [undefined, 0.1, undefined, undefined],
    ]);
    expect(sweepChartData([])).toEqual([[]]);
  });

  it('labels each line with its fitted order where it has one', () => {
    expect(SERIES.map(legendLabel)).toEqual([
      'euler (order 1.02)',
      'heun (order 2.10)',
      'dpm_fast',
    ]);
  });

  it('plots on log–log axes, one coloured line with points per series, scaled for export', () => {
    const options = sweepChartOptions(SERIES, 'mean_l2', 2);
    expect(options.scales!['x']).toMatchObject({ distr: 3, log: 10 });
    expect(options.scales!['y']).toMatchObject({ distr: 3, log: 10 });
    expect(options.axes!.map((axis) => axis.label)).toEqual(['NFE (log)', 'mean_l2 (log)']);
    expect(options.series.slice(1).map((series) => series.label)).toEqual([
      'euler',
      'heun',
      'dpm_fast',
    ]);
    expect(new Set(options.series.slice(1).map((series) => series.stroke)).size).toBe(3);
    expect(options.series[1]!.width).toBe(4);
    expect(options.axes![0]!.font).toBe('22px system-ui, sans-serif');
  });

  it('runs against the swept value when the grid does not change the NFE', () => {
    const trained: SweepSeries[] = [
      {
        label: 'all',
        xAxis: 'trained.train_steps',
        points: [
          { x: 20, nfe: 39, error: 2.7 },
          { x: 400, nfe: 39, error: 2.6 },
        ],
      },
    ];
    expect(sweepChartData(trained)).toEqual([
      [20, 400],
      [2.7, 2.6],
    ]);
    const options = sweepChartOptions(trained, 'swd');
    expect(options.axes!.map((axis) => axis.label)).toEqual([
      'trained.train_steps (log)',
      'swd (log)',
    ]);
  });

  it('reads a metric on a linear axis when asked, keeping its values ≤ 0', () => {
    const nll: SweepSeries[] = [
      {
        label: 'all',
        xAxis: 'trained.train_steps',
        points: [
          { x: 20, nfe: 39, error: 0.4 },
          { x: 400, nfe: 39, error: -0.3 },
        ],
      },
    ];
    expect(sweepChartData(nll, 'linear')).toEqual([
      [20, 400],
      [0.4, -0.3],
    ]);
    // On a log axis a value ≤ 0 has no place.
    expect(sweepChartData(nll, 'log')).toEqual([[20], [0.4]]);
    const options = sweepChartOptions(nll, 'nll', 1, 'linear');
    expect(options.axes!.map((axis) => axis.label)).toEqual(['trained.train_steps (log)', 'nll']);
    expect(options.scales!['y']!.distr).toBe(1);
    expect(sweepChartLabel(nll, 'nll', 'linear')).toBe(
      'nll against trained.train_steps, x log, y linear: all',
    );
  });
});

describe('node card curves', () => {
  it('draws a timestep list on a log scale with the final σ̃ = 0 on the floor', () => {
    expect(timestepsThumbnailData(Float64Array.from([80, 10, 1, 0.1, 0]))).toEqual([
      [0, 1, 2, 3, 4],
      [80, 10, 1, 0.1, 0.1],
    ]);
    expect(TIMESTEPS_THUMBNAIL.scales!['y']).toMatchObject({ distr: 3, log: 10 });
  });

  it('leaves a gap where log-SNR is infinite', () => {
    const data = scheduleThumbnailData({
      t: Float64Array.from([0, 0.5, 1]),
      alpha: Float64Array.from([1, 0.7, 0]),
      sigma: Float64Array.from([0, 0.7, 1]),
      logSnr: Float64Array.from([Infinity, 0, -Infinity]),
    });
    expect(data).toEqual([
      [0, 0.5, 1],
      [1, 0.7, 0],
      [0, 0.7, 1],
      [null, 0, null],
    ]);
  });
});
