// How a sweep's result is printed — by `principia sweep` and by `principia sweep merge`, which
// print a sharded sweep exactly as the one-process sweep would: as a table with the observed
// orders, as CSV, or as one JSON object (the same object the app's Sweep tab can open).
import { formatValue, sweepCsv, type SweepResult } from '../compare/sweep';
import type { CommandOutput } from './command-output';
import { EXIT_CANCELLED, EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes';

export type SweepFormat = 'table' | 'json' | 'csv';

/** Prints the result on stdout and each failed point on stderr; returns the exit code. */
export function printSweepResult(
  result: SweepResult,
  format: SweepFormat,
  output: CommandOutput,
): number {
  if (format === 'json') output.stdout(`${JSON.stringify(sweepJson(result), null, 2)}\n`);
  else if (format === 'csv') output.stdout(sweepCsv(result));
  else output.stdout(sweepTable(result));
  for (const point of result.points) {
    if (!point.ok) output.stderr(`error: ${describeSettings(point.settings)}: ${point.error}\n`);
  }
  if (result.cancelled) return EXIT_CANCELLED;
  return result.points.every((point) => point.ok) ? EXIT_OK : EXIT_RUNTIME_FAILURE;
}

export function sweepJson(result: SweepResult) {
  return {
    ok: result.points.every((point) => point.ok) && !result.cancelled,
    cancelled: result.cancelled,
    measure: result.measureNode,
    solver: result.solverNode,
    errorMetric: result.errorMetric,
    axes: result.axes,
    points: result.points,
    series: result.series,
  };
}

const TABLE_METRICS = ['mean_l2', 'max_l2', 'swd', 'mmd', 'nll', 'bits_per_dim'];

export function sweepTable(result: SweepResult): string {
  const metrics = TABLE_METRICS.filter((name) =>
    result.points.some((point) => point.metrics[name] !== undefined),
  );
  const header = [...result.axes.map((axis) => axis.target), 'nfe', 'ms', ...metrics];
  const rows = result.points.map((point) => [
    ...result.axes.map((axis) => formatValue(point.settings[axis.target])),
    point.ok ? String(point.nfe ?? '') : 'failed',
    point.ms === undefined ? '' : point.ms.toFixed(0),
    ...metrics.map((name) => formatNumber(point.metrics[name])),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const orders = result.series
    .map(
      (series) => `${series.label} ${series.order === undefined ? '–' : series.order.toFixed(2)}`,
    )
    .join(', ');
  return (
    [line(header), ...rows.map(line)].join('\n') +
    `\n\nobserved order (${result.errorMetric} vs NFE): ${orders}\n` +
    trainingLine(result)
  );
}

/** The trainings the sweep ran (ms is the solver's time alone, so they are told apart). */
function trainingLine(result: SweepResult): string {
  const trainings = result.points.flatMap((point) => point.training ?? []);
  if (trainings.length === 0) return '';
  const nodes = [...new Set(trainings.map((training) => `"${training.node}"`))].join(', ');
  const seconds = trainings.reduce((sum, training) => sum + training.ms, 0) / 1000;
  const times = trainings.length === 1 ? 'training' : 'trainings';
  return `trained ${nodes}: ${trainings.length} ${times}, ${seconds.toFixed(1)} s in all\n`;
}

function formatNumber(value: number | undefined): string {
  return value === undefined ? '' : value.toPrecision(4);
}

export function describeSettings(settings: Readonly<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([target, value]) => `${target}=${formatValue(value)}`)
    .join(' ');
}
