// Solvers side by side: a panel per branch of a Compare node, one shared scrubber that keeps the
// panels at the same σ̃ (or the same fraction of the run), every particle in the same colour in
// every panel (for image data, each panel a grid of its images, x̃ or x̂₀), and the branch table
// — NFE, wall time, error against the exact solution, distance to the data — sortable, with each
// column's best value marked.
import { useEffect, useMemo, useState } from 'react';
import { useGraphStore } from '../graph/graph-store';
import { dataBounds, useBackdrop } from '../preview/backdrop';
import { padBounds, robustBounds, type DataBounds } from '../preview/plot-view';
import { useRunStore } from '../run/run-store';
import { cloudImageLayout } from '../preview/image-tiles';
import { BranchPanel, type ImageChoice } from './BranchPanel';
import { compareBranches, compareNodes } from './compare-branches';
import { frameIndexAt, framePositions, sigmaAt, type SyncMode } from './frame-sync';
import {
  bestPerColumn,
  COMPARE_COLUMNS,
  formatCell,
  sortRows,
  type BranchRow,
  type SortOrder,
} from './metrics-table';
import { particleColours } from './particle-colours';

const SCRUB_RESOLUTION = 1000;
const FALLBACK_BOUNDS: DataBounds = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };

export function CompareView() {
  const graph = useGraphStore((state) => state.document);
  const trajectories = useRunStore((state) => state.trajectories);
  const measured = useRunStore((state) => state.metrics);
  const runNodes = useRunStore((state) => state.nodes);
  const backdrop = useBackdrop();
  const [position, setPosition] = useState(1);
  const [order, setOrder] = useState<SortOrder>({ key: 'mean_l2', descending: false });
  const [images, setImages] = useState<ImageChoice>('x');

  const compare = compareNodes(graph)[0];
  const branches = useMemo(
    () => (compare ? compareBranches(graph, compare.id) : []),
    [graph, compare],
  );
  const mode: SyncMode = compare?.params['sync'] === 'fraction' ? 'fraction' : 'sigma';
  const records = useMemo(
    () => branches.map((branch) => trajectories[branch.nodeId]),
    [branches, trajectories],
  );
  const sigmaLists = useMemo(
    () => records.map((record) => record?.frames.map((frame) => frame.sigmaTilde) ?? []),
    [records],
  );

  const start = records.find((record) => record?.frames[0])?.frames[0]?.points;
  const isImage = cloudImageLayout(start) !== undefined;
  const colours = useMemo(
    () => (start ? particleColours(start.values, start.count, start.dim) : []),
    [start],
  );
  const bounds = useMemo(() => {
    const fixed = dataBounds(backdrop);
    if (fixed) return fixed;
    const last = records.find((record) => record)?.frames.at(-1)?.points;
    const fitted = last && robustBounds(last.values, last.dim);
    return fitted ? padBounds(fitted, 0.15) : FALLBACK_BOUNDS;
  }, [backdrop, records]);

  // ← and → jump to the next frame any panel has, so every step of every solver can be reached.
  const ticks = useMemo(
    () =>
      [...new Set(sigmaLists.flatMap((sigmas) => framePositions(sigmas, mode, sigmaLists)))].sort(
        (a, b) => a - b,
      ),
    [sigmaLists, mode],
  );
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      if (!(document.activeElement as Element | null)?.closest('[data-testid="compare-view"]'))
        return;
      event.preventDefault();
      const next =
        event.key === 'ArrowRight'
          ? ticks.find((tick) => tick > position + 1e-9)
          : [...ticks].reverse().find((tick) => tick < position - 1e-9);
      if (next !== undefined) setPosition(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ticks, position]);

  if (!compare) {
    return (
      <section className="compare-view empty" data-testid="compare-view">
        <p>
          Add a <strong>Compare solvers</strong> node and wire several Solver nodes’ trajectories
          into it (or open the “Solvers head to head” preset) to see them side by side.
        </p>
      </section>
    );
  }

  const metrics = measured[compare.id];
  const rows: BranchRow[] = branches.map((branch) => {
    const row = metrics?.rows?.find((candidate) => candidate.branch === branch.port);
    return {
      nodeId: branch.nodeId,
      title: branch.title,
      values: { ...row?.values, ms: runNodes[branch.nodeId]?.ms },
    };
  });
  const sorted = sortRows(rows, order);
  const best = bestPerColumn(rows, COMPARE_COLUMNS);
  const columns = COMPARE_COLUMNS.filter((column) =>
    rows.some((row) => row.values[column.key] !== undefined),
  );
  const sharedSigma = mode === 'sigma' ? sigmaAt(position, sigmaLists) : undefined;

  const setMode = (next: SyncMode) =>
    useGraphStore.getState().edit((draft) => {
      const node = draft.nodes.find((candidate) => candidate.id === compare.id);
      if (node) node.params['sync'] = next;
    });

  return (
    <section className="compare-view" data-testid="compare-view" tabIndex={-1}>
      <div className="compare-controls">
        <label>
          Sync by{' '}
          <select
            value={mode}
            onChange={(event) => setMode(event.target.value as SyncMode)}
            data-testid="compare-sync"
          >
            <option value="sigma">noise level σ̃</option>
            <option value="fraction">fraction of the run</option>
          </select>
        </label>
        <input
          type="range"
          min={0}
          max={SCRUB_RESOLUTION}
          value={Math.round(position * SCRUB_RESOLUTION)}
          onChange={(event) => setPosition(Number(event.target.value) / SCRUB_RESOLUTION)}
          aria-label="Shared scrubber"
          data-testid="compare-scrubber"
        />
        {isImage && (
          <select
            value={images}
            onChange={(event) => setImages(event.target.value as ImageChoice)}
            aria-label="Images shown"
            data-testid="compare-images"
          >
            <option value="x">particles x̃</option>
            <option value="x0hat">prediction x̂₀</option>
          </select>
        )}
        <span className="compare-readout" data-testid="compare-readout">
          {sharedSigma !== undefined
            ? `σ̃ = ${sharedSigma.toPrecision(3)}`
            : `${Math.round(position * 100)}% of each run`}
        </span>
      </div>
      <div className="compare-panels">
        {branches.map((branch, index) => {
          const record = records[index];
          const frameIndex = record
            ? frameIndexAt(sigmaLists[index]!, position, mode, sigmaLists)
            : -1;
          return (
            <BranchPanel
              key={branch.port}
              title={branch.title}
              nodeId={branch.nodeId}
              frame={record?.frames[frameIndex]}
              colours={colours}
              bounds={bounds}
              backdrop={backdrop}
              images={images}
            />
          );
        })}
      </div>
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>branch</th>
            {columns.map((column) => (
              <th
                key={column.key}
                aria-sort={
                  order.key === column.key
                    ? order.descending
                      ? 'descending'
                      : 'ascending'
                    : 'none'
                }
              >
                <button
                  type="button"
                  onClick={() =>
                    setOrder({
                      key: column.key,
                      descending: order.key === column.key ? !order.descending : false,
                    })
                  }
                >
                  {column.title}
                  {order.key === column.key ? (order.descending ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.nodeId} data-node={row.nodeId}>
              <th scope="row">{row.title}</th>
              {columns.map((column) => {
                const isBest = best[column.key]?.has(row.nodeId) ?? false;
                return (
                  <td
                    key={column.key}
                    data-column={column.key}
                    data-value={row.values[column.key] ?? ''}
                    className={isBest ? 'best' : undefined}
                    title={isBest ? 'best in this column' : undefined}
                  >
                    {formatCell(row.values[column.key], column.digits)}
                    {isBest ? ' ★' : ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {!metrics && <p className="compare-hint">Run the graph to fill the table.</p>}
    </section>
  );
}
