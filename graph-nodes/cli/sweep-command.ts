// `principia sweep`: the graph over a grid of param values, one row per grid point (NFE, the
// solver's wall time, the Metrics node's numbers) and each solver's observed order.
import { resolve } from 'node:path';
import { catalogue, parseGraphText, parseParamValue, runSweep, splitValueList } from '../index';
import type { SweepAxis } from '../core/document';
import { formatValue, sweepCsv, type SweepResult } from '../compare/sweep';
import type { SweepRequest, TargetAssignment } from './arguments';
import type { CommandOutput } from './command-output';
import { withEngine } from './engine-session';
import { graphFilePolicy } from './file-policy';
import { EXIT_CANCELLED, EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes';
import { isFileParam } from './param-overrides';
import { readGraphFile } from './run-command';
import { UsageError } from './usage';

export async function sweepCommand(request: SweepRequest, output: CommandOutput): Promise<number> {
  const cwd = process.cwd();
  const file = request.graphPath;
  const graph = parseGraphText(await readGraphFile(file), file);
  const chosenFiles = new Set<string>();
  const axes = request.sets.length
    ? request.sets.map((assignment) => toAxis(assignment, graph.nodes, cwd, chosenFiles))
    : undefined;
  const policy = graphFilePolicy(file, request, chosenFiles, cwd);

  return withEngine(policy, request.backend, async ({ executor, signal }) => {
    const result = await runSweep(graph, {
      catalogue,
      executor,
      trustedPath: policy.trustedPath,
      ...(axes ? { axes } : {}),
      ...(request.measure ? { measure: request.measure } : {}),
      signal,
      file,
    });
    if (request.format === 'json') output.stdout(`${JSON.stringify(sweepJson(result), null, 2)}\n`);
    else if (request.format === 'csv') output.stdout(sweepCsv(result));
    else output.stdout(sweepTable(result));
    for (const point of result.points) {
      if (!point.ok) output.stderr(`error: ${describeSettings(point.settings)}: ${point.error}\n`);
    }
    if (result.cancelled) return EXIT_CANCELLED;
    return result.points.every((point) => point.ok) ? EXIT_OK : EXIT_RUNTIME_FAILURE;
  });
}

/**
 * `solver.algorithm=euler,heun` → an axis; values split at commas outside brackets and quotes.
 * File paths resolve against `cwd` and join `chosenFiles`: the user named them.
 */
function toAxis(
  assignment: TargetAssignment,
  nodes: readonly { id: string; type: string }[],
  cwd: string,
  chosenFiles: Set<string>,
): SweepAxis {
  const texts = splitValueList(assignment.value);
  if (texts.some((text) => text === '')) {
    throw new UsageError(`--set "${assignment.text}" has an empty value in its list`);
  }
  const type = nodes.find((node) => node.id === assignment.nodeId)?.type;
  const definition = type ? catalogue.get(type) : undefined;
  const isFile = definition !== undefined && isFileParam(definition, assignment.name);
  return {
    target: `${assignment.nodeId}.${assignment.name}`,
    values: texts.map((text) => {
      if (!isFile) return parseParamValue(text);
      const path = resolve(cwd, text);
      chosenFiles.add(path);
      return path;
    }),
  };
}

function sweepJson(result: SweepResult) {
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

const TABLE_METRICS = ['mean_l2', 'max_l2', 'swd', 'mmd'];

function sweepTable(result: SweepResult): string {
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
    `\n\nobserved order (${result.errorMetric} vs NFE): ${orders}\n`
  );
}

function formatNumber(value: number | undefined): string {
  return value === undefined ? '' : value.toPrecision(4);
}

function describeSettings(settings: Readonly<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([target, value]) => `${target}=${formatValue(value)}`)
    .join(' ');
}
