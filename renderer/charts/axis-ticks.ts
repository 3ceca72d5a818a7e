// Tick labels for the app's charts: short numbers that read the same on linear and log axes
// (0.05, 2, 1000, 1e-5), and the labels each chart drew, kept on its root element
// (data-x-ticks, data-y-ticks) so that a reader or a test can see what the axes say.
import type uPlot from 'uplot';

/** Plain digits from 0.01 to 10 000, powers of ten beyond (1e-5, 2e+6). */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const size = Math.abs(value);
  return size >= 1e-2 && size <= 1e4
    ? String(Number(value.toPrecision(3)))
    : value.toExponential(0).replace('e+', 'e');
}

/** Labels for uPlot's splits; a split its filter dropped (null) gets none. */
export function tickLabels(splits: readonly (number | null)[]): string[] {
  return splits.map((value) => (value === null ? '' : formatTick(value)));
}

/** uPlot's `values` for an axis: the labels, recorded on the chart as they are drawn. */
export function labelTicks(chart: uPlot, splits: number[], axisIndex: number): string[] {
  const labels = tickLabels(splits);
  const key = chart.axes[axisIndex]?.scale === 'x' ? 'xTicks' : 'yTicks';
  chart.root.dataset[key] = labels.filter((label) => label !== '').join(' ');
  return labels;
}

/** `value` rounded to one significant digit, down or up (0.0347 → 0.03 or 0.04). */
function roundToDigit(value: number, round: (x: number) => number): number {
  const unit = 10 ** Math.floor(Math.log10(value));
  return Number((round(value / unit) * unit).toPrecision(1));
}

/**
 * A log axis's range around positive data: out to the nearest one-digit numbers (1.6–1.95 shows
 * as 1–2), so that uPlot's log splits, which start at the range's low end, fall on round values.
 */
export function logRange(low: number | null, high: number | null): [number, number] {
  if (low === null || high === null || !(low > 0) || !(high > 0)) return [1, 10];
  const bottom = roundToDigit(low, Math.floor);
  const top = roundToDigit(high, Math.ceil);
  return top > bottom ? [bottom, top] : [bottom, roundToDigit(bottom * 1.5, Math.ceil)];
}
