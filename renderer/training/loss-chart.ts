// The loss curve's chart: steps on x (the whole run, so the line shows how far it has come), the
// loss on a log axis (it falls through decades early on), as uPlot options and data.
import type uPlot from 'uplot';
import { logRange } from '../charts/axis-ticks';
import { CHART_COLOURS, themedAxis } from '../charts/chart-theme';
import type { TrainingProgress } from '../engine/engine-protocol';

/** Steps and losses as uPlot's columns; only positive, finite losses can sit on a log axis. */
export function lossSeries(progress: readonly TrainingProgress[]): uPlot.AlignedData {
  const shown = progress.filter((p) => p.loss > 0 && Number.isFinite(p.loss));
  return [shown.map((p) => p.step), shown.map((p) => p.loss)];
}

/**
 * Records what the chart holds on its root (data-points, data-first, data-last): the numbers a
 * reader or a test checks the line against.
 */
function recordLoss(chart: uPlot): void {
  const losses = chart.data[1] ?? [];
  chart.root.dataset['points'] = String(losses.length);
  chart.root.dataset['first'] = String(losses[0] ?? '');
  chart.root.dataset['last'] = String(losses.at(-1) ?? '');
}

export function lossChartOptions(steps: number): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    scales: {
      x: { time: false, range: () => [0, steps] },
      y: {
        distr: 3,
        log: 10,
        range: (_chart, low, high) => logRange(low, high),
      },
    },
    axes: [themedAxis('step'), themedAxis('loss (log)', 1, { size: 52 })],
    series: [
      { label: 'step' },
      {
        label: 'loss',
        stroke: CHART_COLOURS.accent,
        width: 1.5,
        points: { show: false },
        value: (_chart, loss) => (loss == null ? '' : loss.toPrecision(3)),
      },
    ],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    hooks: { draw: [recordLoss] },
  };
}
