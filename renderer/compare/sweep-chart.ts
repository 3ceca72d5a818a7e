// The sweep's chart as uPlot options and data: error against NFE (or against the swept value, when
// the grid keeps the NFE) on log–log axes (a metric read on a linear axis, such as NLL, against a
// log x), a line with points per solver, and each solver's fitted
// order in a legend drawn on the canvas in the plot's bottom left corner (few NFE and a small
// error: where no solver's line goes), so the PNG export (the same options at twice the size,
// sweep-export.ts) holds everything on screen.
import uPlot from 'uplot';
import type { SweepSeries } from '../../graph-nodes';
import { CHART_COLOURS, chartFont, seriesColour, themedAxis } from '../charts/chart-theme';

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

/** "euler (order 1.02)": a series' label with its fitted order, as the legend writes it. */
export function legendLabel(line: SweepSeries): string {
  return line.order === undefined ? line.label : `${line.label} (order ${line.order.toFixed(2)})`;
}

/** How the chart's y axis reads the metric (sweepMetricScale). */
export type YScale = 'log' | 'linear';

/** All series on one ascending x column (NFE, or the swept value), with gaps where one has none. */
export function sweepChartData(
  series: readonly SweepSeries[],
  yScale: YScale = 'log',
): uPlot.AlignedData {
  const tables = series.map((line): uPlot.AlignedData => {
    const points = line.points.filter(
      (point) => point.x > 0 && (yScale === 'linear' || point.error > 0),
    );
    return [points.map((point) => point.x), points.map((point) => point.error)];
  });
  if (tables.length === 0) return [[]];
  return uPlot.join(tables);
}

/** Whole decades around the data, like paper log–log plots; a single value gets one decade. */
const decadeRange: uPlot.Range.Function = (_chart, low, high) =>
  low === null || high === null ? [1, 10] : uPlot.rangeLog(low, high, 10, true);

/**
 * What the chart holds, on its root (data-series: label, order, x and error per series): what a
 * reader or a test checks the lines against.
 */
function recordSeries(chart: uPlot): void {
  const x = chart.data[0] as readonly number[];
  const lines = chart.series.slice(1).map((series, k) => {
    const errors = chart.data[k + 1] ?? [];
    const at = x.map((_, i) => i).filter((i) => errors[i] != null);
    return {
      label: series.label,
      order: (series as { order?: number }).order ?? null,
      x: at.map((i) => x[i]),
      error: at.map((i) => errors[i]),
    };
  });
  chart.root.dataset['series'] = JSON.stringify(lines);
}

function drawBackground(chart: uPlot): void {
  const context = chart.ctx;
  context.save();
  context.fillStyle = CHART_COLOURS.background;
  context.fillRect(0, 0, context.canvas.width, context.canvas.height);
  context.restore();
}

function legendDrawer(series: readonly SweepSeries[], scale: number) {
  return (chart: uPlot): void => {
    const context = chart.ctx;
    const ratio = uPlot.pxRatio * scale;
    const labels = series.map(legendLabel);
    context.save();
    context.font = chartFont(11 * uPlot.pxRatio, scale);
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    const [row, swatch, gap, margin] = [18 * ratio, 20 * ratio, 6 * ratio, 8 * ratio];
    const textWidth = Math.max(...labels.map((label) => context.measureText(label).width));
    const boxWidth = swatch + gap + textWidth + 2 * margin;
    const left = chart.bbox.left + margin;
    const boxHeight = labels.length * row + margin;
    const top = chart.bbox.top + chart.bbox.height - boxHeight - margin;
    context.fillStyle = 'rgba(18, 20, 26, 0.85)';
    context.fillRect(left, top, boxWidth, boxHeight);
    context.lineWidth = 2 * ratio;
    labels.forEach((label, index) => {
      const x = left + margin;
      const y = top + margin / 2 + (index + 0.5) * row;
      context.strokeStyle = seriesColour(index);
      context.beginPath();
      context.moveTo(x, y);
      context.lineTo(x + swatch, y);
      context.stroke();
      context.fillStyle = CHART_COLOURS.text;
      context.fillText(label, x + swatch + gap, y);
    });
    context.restore();
  };
}

/** "NFE", or the swept axis the lines run against (fitSeries). */
export function xAxisName(series: readonly SweepSeries[]): string {
  const axis = series[0]?.xAxis ?? 'nfe';
  return axis === 'nfe' ? 'NFE' : axis;
}

/** "nll against trained.train_steps, x log, y linear": the chart's description. */
export function sweepChartLabel(
  series: readonly SweepSeries[],
  errorMetric: string,
  yScale: YScale = 'log',
): string {
  const axes = yScale === 'log' ? 'log–log' : 'x log, y linear';
  return `${errorMetric} against ${xAxisName(series)}, ${axes}: ${series.map(legendLabel).join(', ')}`;
}

/** The chart at `scale` times its on-screen size (sizes, fonts and lines alike). */
export function sweepChartOptions(
  series: readonly SweepSeries[],
  errorMetric: string,
  scale = 1,
  yScale: YScale = 'log',
): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    padding: [14 * scale, 16 * scale, 0, 0],
    scales: {
      x: { time: false, distr: 3, log: 10, range: decadeRange },
      y: yScale === 'log' ? { distr: 3, log: 10, range: decadeRange } : { distr: 1 },
    },
    axes: [
      themedAxis(`${xAxisName(series)} (log)`, scale),
      themedAxis(yScale === 'log' ? `${errorMetric} (log)` : errorMetric, scale, {
        size: 56 * scale,
      }),
    ],
    series: [
      { label: xAxisName(series) },
      ...series.map((line, index): uPlot.Series =>
        // `order` rides along on the series for recordSeries.
        Object.assign(
          {
            label: line.label,
            stroke: seriesColour(index),
            width: 2 * scale,
            spanGaps: true,
            points: { show: true, size: 6 * scale, fill: seriesColour(index) },
          },
          { order: line.order },
        ),
      ),
    ],
    legend: { show: false },
    cursor: { show: false },
    hooks: {
      drawClear: [drawBackground],
      draw: [legendDrawer(series, scale), recordSeries],
    },
  };
}
