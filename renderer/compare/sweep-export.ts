// The sweep's exports: its table as CSV, and its chart as PNG, drawn by the on-screen chart's own
// options at twice the size (for slides) on a chart made for the purpose and dropped after.
import uPlot from 'uplot';
import { sweepCsv, type SweepResult, type SweepSeries } from '../../graph-nodes';
import { documentBaseName as baseName } from '../files/file-store';
import { downloadBytes } from '../platform/browser-files';
import { sweepChartData, sweepChartOptions, type ChartSize, type YScale } from './sweep-chart';

export function exportSweepCsv(result: SweepResult): void {
  downloadBytes(`${baseName()}-sweep.csv`, new TextEncoder().encode(sweepCsv(result)), 'text/csv');
}

/** Export pixels per on-screen CSS pixel. */
const EXPORT_SCALE = 2;

export async function chartPng(
  series: readonly SweepSeries[],
  errorMetric: string,
  size: ChartSize,
  yScale: YScale = 'log',
): Promise<Uint8Array> {
  // uPlot draws at the screen's pixel ratio; asking for scale / ratio of the size in CSS pixels
  // gives exactly EXPORT_SCALE times the on-screen size in canvas pixels on any screen.
  const scale = EXPORT_SCALE / uPlot.pxRatio;
  const holder = document.createElement('div');
  holder.style.position = 'fixed';
  holder.style.left = '-100000px';
  document.body.append(holder);
  const options = sweepChartOptions(series, errorMetric, scale, yScale);
  // uPlot sizes and draws its canvas a moment after it is made; the PNG waits for that.
  let drawn!: () => void;
  const ready = new Promise<void>((resolve) => (drawn = resolve));
  const chart = new uPlot(
    {
      ...options,
      width: size.width * scale,
      height: size.height * scale,
      hooks: { ...options.hooks, draw: [...(options.hooks?.draw ?? []), () => drawn()] },
    },
    sweepChartData(series, yScale),
    holder,
  );
  try {
    await ready;
    const blob = await new Promise<Blob | null>((done) =>
      chart.ctx.canvas.toBlob(done, 'image/png'),
    );
    if (!blob) throw new Error('the chart could not be encoded as PNG');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    chart.destroy();
    holder.remove();
  }
}

export async function exportChartPng(
  series: readonly SweepSeries[],
  errorMetric: string,
  size: ChartSize,
  yScale: YScale = 'log',
): Promise<void> {
  const png = await chartPng(series, errorMetric, size, yScale);
  downloadBytes(`${baseName()}-sweep-chart.png`, png, 'image/png');
}
