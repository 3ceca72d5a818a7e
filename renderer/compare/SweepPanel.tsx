// Sweep: choose solvers × step counts (any params), run the grid, and read error against NFE on
// log–log axes with each solver's observed order, or any other measured metric (NLL on a linear
// axis). The grid is saved in the graph, so the CLI's `principia sweep` runs the same one and
// prints the same numbers.
import { useMemo, useRef, useState } from 'react';
import {
  fitSeries,
  formatValue,
  sweepErrorMetric,
  sweepMetricNames,
  sweepMetricScale,
  type GraphDocument,
  type SweepAxis,
  type SweepPoint,
  type SweepSeries,
} from '../../graph-nodes';
import { UPlotChart } from '../charts/UPlotChart';
import { useGraphStore } from '../graph/graph-store';
import { useBoxSize } from '../preview/use-box-size';
import { formatAxis, parseAxes } from './sweep-axes';
import { sweepChartData, sweepChartLabel, sweepChartOptions } from './sweep-chart';
import { cancelSweep, runSweepInApp } from './sweep-controller';
import { openSweepResult } from './open-sweep-result';
import { exportChartPng, exportSweepCsv } from './sweep-export';
import { currentSeries, useSweepStore } from './sweep-store';

/** The chart's largest size on screen, and the size its PNG export doubles. */
const CHART = { width: 640, height: 340 };

/**
 * The graph's own grid, else a first guess: the algorithms × step counts of the solver whose
 * samples the Metrics node measures (a sweep reads its numbers there).
 */
function initialAxes(graph: GraphDocument): string {
  if (graph.sweep) return graph.sweep.axes.map(formatAxis).join('\n');
  const metrics = graph.nodes.find((node) => node.type === 'metrics');
  const inputOf = (nodeId: string | undefined, port: string) =>
    graph.edges.find((edge) => edge.to.node === nodeId && edge.to.port === port)?.from.node;
  const solver = inputOf(metrics?.id, 'samples');
  const timesteps = inputOf(solver, 'timesteps');
  const lines = [];
  if (solver) lines.push(`${solver}.algorithm = euler, heun, dpmpp_2m`);
  if (timesteps) lines.push(`${timesteps}.steps = 5, 10, 20, 40`);
  return lines.join('\n');
}

function sameAxes(a: readonly SweepAxis[] | undefined, b: readonly SweepAxis[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

/** What a grid point trained before it was measured (a sweep over how a node trains). */
function trainingText(point: SweepPoint): string {
  return (point.training ?? [])
    .map((record) => `${record.node}: ${record.steps} steps, ${(record.ms / 1000).toFixed(1)} s`)
    .join('; ');
}

/** A labelled select over names (Metrics nodes, metrics), each shown as it is. */
function NameChoice(props: {
  readonly label: string;
  readonly className: string;
  readonly testId: string;
  readonly names: readonly string[];
  readonly value: string;
  readonly onChange: (name: string) => void;
}) {
  return (
    <label className={props.className}>
      {props.label}{' '}
      <select
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={props.testId}
      >
        {props.names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SweepPanel() {
  const graph = useGraphStore((state) => state.document);
  const sweep = useSweepStore();
  const [text, setText] = useState(() => initialAxes(graph));
  const [formError, setFormError] = useState<string>();
  // A graph with several Metrics nodes names the one a sweep reads (saved with the grid).
  const metricsNodes = graph.nodes.filter((node) => node.type === 'metrics').map((node) => node.id);
  const [chosenMeasure, setMeasure] = useState(graph.sweep?.measure);
  const measure =
    metricsNodes.length > 1
      ? chosenMeasure !== undefined && metricsNodes.includes(chosenMeasure)
        ? chosenMeasure
        : metricsNodes[0]
      : undefined;

  const errorMetric = sweep.result?.errorMetric ?? sweepErrorMetric(sweep.points);
  const trained = sweep.points.some((point) => point.training?.length);
  // NLL of held-out data, beside the error metric when that is another.
  const nllColumn =
    errorMetric !== 'nll' && sweep.points.some((point) => point.metrics['nll'] !== undefined);
  // The chart shows the error metric unless another measured one is chosen.
  const metricNames = sweepMetricNames(sweep.points);
  const [chosenPlot, setPlot] = useState<string>();
  const plotted =
    chosenPlot !== undefined && metricNames.includes(chosenPlot) ? chosenPlot : errorMetric;
  const yScale = sweepMetricScale(plotted, sweep.points);
  // Fitted afresh on each render while the sweep runs: compared by value, so the chart is rebuilt
  // only when a line or an order changes.
  const seriesText = JSON.stringify(
    plotted === errorMetric
      ? currentSeries(sweep, errorMetric)
      : fitSeries(sweep.axes, sweep.points, plotted),
  );
  const series = useMemo(() => JSON.parse(seriesText) as SweepSeries[], [seriesText]);
  const chartBox = useRef<HTMLDivElement>(null);
  const { width: boxWidth } = useBoxSize(chartBox);
  const chartWidth = Math.max(320, Math.floor(boxWidth));
  const chartHeight = Math.round(Math.min(CHART.height, Math.max(240, chartWidth * 0.53)));
  const options = useMemo(
    () => sweepChartOptions(series, plotted, 1, yScale),
    [series, plotted, yScale],
  );
  const data = useMemo(() => sweepChartData(series, yScale), [series, yScale]);

  const start = () => {
    let axes: SweepAxis[];
    try {
      axes = parseAxes(text);
    } catch (error) {
      setFormError((error as Error).message);
      return;
    }
    setFormError(undefined);
    // The grid belongs to the graph: saved with it, undone with it.
    if (!sameAxes(graph.sweep?.axes, axes) || graph.sweep?.measure !== measure) {
      useGraphStore.getState().edit((draft) => {
        draft.sweep = { ...draft.sweep, axes, ...(measure !== undefined ? { measure } : {}) };
      });
    }
    void runSweepInApp(useGraphStore.getState().document, axes);
  };

  const running = sweep.phase === 'running';
  return (
    <section className="sweep-panel" aria-label="Sweep" data-testid="sweep-panel">
      <div className="sweep-form">
        <label htmlFor="sweep-axes">
          Grid — one <code>NODE.PARAM = values</code> per line
        </label>
        <textarea
          id="sweep-axes"
          data-testid="sweep-axes"
          rows={3}
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        {measure !== undefined && (
          <NameChoice
            label="Measure with"
            className="sweep-measure"
            testId="sweep-measure"
            names={metricsNodes}
            value={measure}
            onChange={setMeasure}
          />
        )}
        {formError && (
          <p className="field-error" role="alert">
            {formError}
          </p>
        )}
        <div className="sweep-actions">
          {running ? (
            <button type="button" onClick={cancelSweep}>
              Cancel sweep
            </button>
          ) : (
            <button type="button" className="primary" onClick={start} data-testid="run-sweep">
              Run sweep
            </button>
          )}
          <span className="sweep-status" data-testid="sweep-status" data-phase={sweep.phase}>
            {sweep.phase === 'idle'
              ? graph.nodes.some((node) => node.type === 'metrics')
                ? 'Runs every combination; unchanged nodes are reused.'
                : 'A sweep reads its numbers off a Metrics node: add one on the solver to measure.'
              : `${sweep.points.length} / ${sweep.total || '…'} grid points${
                  sweep.phase === 'running' ? '' : ` · ${sweep.phase}`
                }`}
          </span>
          {!running && (
            <label
              className="button-like"
              title="Show a result saved by principia sweep --json or sweep merge --json"
            >
              Open result…
              <input
                type="file"
                accept=".json,application/json"
                hidden
                data-testid="sweep-open-result"
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  event.target.value = '';
                  if (file) void openSweepResult(file);
                }}
              />
            </label>
          )}
          {sweep.result && (
            <>
              <button
                type="button"
                onClick={() => exportSweepCsv(sweep.result!)}
                data-testid="sweep-csv"
              >
                CSV
              </button>
              <button
                type="button"
                onClick={() => void exportChartPng(series, plotted, CHART, yScale)}
                data-testid="sweep-png"
              >
                PNG
              </button>
            </>
          )}
        </div>
        {sweep.error && (
          <p className="field-error" role="alert">
            {sweep.error}
          </p>
        )}
      </div>
      {metricNames.length > 1 && (
        <NameChoice
          label="Chart"
          className="sweep-plot"
          testId="sweep-plot"
          names={metricNames}
          value={plotted}
          onChange={setPlot}
        />
      )}
      <div className="sweep-chart-box" ref={chartBox}>
        {series.some((line) => line.points.length > 0) ? (
          <UPlotChart
            className="sweep-chart"
            testId="sweep-chart"
            options={options}
            data={data}
            width={chartWidth}
            height={chartHeight}
            label={sweepChartLabel(series, plotted, yScale)}
          />
        ) : (
          <p className="sweep-chart empty muted" data-testid="sweep-chart">
            No finished grid points yet
          </p>
        )}
      </div>
      {sweep.points.length > 0 && (
        <table className="sweep-table" data-testid="sweep-table">
          <thead>
            <tr>
              {sweep.axes.map((axis) => (
                <th key={axis.target}>{axis.target}</th>
              ))}
              <th>NFE</th>
              <th>wall ms</th>
              <th>{errorMetric}</th>
              {errorMetric !== 'swd' && <th>sliced W₂</th>}
              {nllColumn && <th>NLL (nats)</th>}
              {trained && <th>trained first</th>}
            </tr>
          </thead>
          <tbody>
            {sweep.points.map((point, index) => (
              <tr key={index} className={point.ok ? undefined : 'failed'} title={point.error}>
                {sweep.axes.map((axis) => (
                  <td key={axis.target}>{formatValue(point.settings[axis.target])}</td>
                ))}
                <td>{point.ok ? point.nfe : 'failed'}</td>
                <td>{point.ms?.toFixed(0) ?? ''}</td>
                <td data-metric={errorMetric} data-value={point.metrics[errorMetric] ?? ''}>
                  {point.metrics[errorMetric]?.toPrecision(4) ?? ''}
                </td>
                {errorMetric !== 'swd' && <td>{point.metrics['swd']?.toPrecision(4) ?? ''}</td>}
                {nllColumn && (
                  <td data-metric="nll" data-value={point.metrics['nll'] ?? ''}>
                    {point.metrics['nll']?.toPrecision(4) ?? ''}
                  </td>
                )}
                {trained && <td data-testid="sweep-trained">{trainingText(point)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
