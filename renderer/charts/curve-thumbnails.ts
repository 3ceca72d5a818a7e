// The node cards' small curves, as uPlot options and data with no axes, legend or cursor: a
// schedule's α(t) and σ(t) on one scale with its log-SNR dashed on its own, and a timestep list's
// σ̃ per step on a log scale, the final σ̃ = 0 (which no log scale holds) drawn on the floor.
import type uPlot from 'uplot';
import { logRange } from './axis-ticks';

export type ThumbnailOptions = Omit<uPlot.Options, 'width' | 'height'>;

export interface SchedulePreview {
  readonly t: Float64Array;
  readonly alpha: Float64Array;
  readonly sigma: Float64Array;
  readonly logSnr: Float64Array;
}

export const CURVE_COLOURS = { alpha: '#8ecae6', sigma: '#ffd166', logSnr: '#b388ff' } as const;

const BARE: Partial<ThumbnailOptions> = {
  padding: [4, 4, 4, 4],
  legend: { show: false },
  cursor: { show: false },
  axes: [{ show: false }, { show: false }, { show: false, scale: 'snr' }],
};

/** Finite values only (a log-SNR is ±∞ at the schedule's ends): null leaves a gap. */
const finiteOrGap = (values: ArrayLike<number>): (number | null)[] =>
  Array.from(values, (value) => (Number.isFinite(value) ? value : null));

export const SCHEDULE_THUMBNAIL: ThumbnailOptions = {
  ...BARE,
  scales: {
    x: { time: false },
    // α and σ share an axis that includes 0 (most schedules start or end there).
    y: { range: (_chart, _low, high) => [0, Math.max(high ?? 1, 1e-9)] },
    snr: {},
  },
  series: [
    {},
    { stroke: CURVE_COLOURS.alpha, width: 1.5, points: { show: false } },
    { stroke: CURVE_COLOURS.sigma, width: 1.5, points: { show: false } },
    {
      scale: 'snr',
      stroke: CURVE_COLOURS.logSnr,
      width: 1.5,
      dash: [3, 2],
      points: { show: false },
    },
  ],
};

export function scheduleThumbnailData(preview: SchedulePreview): uPlot.AlignedData {
  return [
    Array.from(preview.t),
    finiteOrGap(preview.alpha),
    finiteOrGap(preview.sigma),
    finiteOrGap(preview.logSnr),
  ];
}

export const TIMESTEPS_THUMBNAIL: ThumbnailOptions = {
  ...BARE,
  scales: {
    x: { time: false },
    y: { distr: 3, log: 10, range: (_chart, low, high) => logRange(low, high) },
  },
  series: [
    {},
    {
      stroke: 'rgba(255,209,102,0.35)',
      width: 1,
      points: { show: true, size: 4, stroke: CURVE_COLOURS.sigma, fill: CURVE_COLOURS.sigma },
    },
  ],
};

export function timestepsThumbnailData(sigmaTilde: Float64Array): uPlot.AlignedData {
  const positive = Array.from(sigmaTilde).filter((sigma) => sigma > 0);
  const floor = positive.length > 0 ? Math.min(...positive) : 1;
  return [
    Array.from(sigmaTilde, (_, k) => k),
    Array.from(sigmaTilde, (sigma) => (sigma > 0 ? sigma : floor)),
  ];
}
