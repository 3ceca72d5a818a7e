// The dock's view of a coupling π: the source and target points with a line per heavy pair (the
// heaviest up to 20 000 entries, opacity ∝ π_ij / max π), or π as a heat map (source i down,
// target j across, input order; linear or log colour), or for images the heaviest pairs side by
// side; and a readout of the plan's values (ε, transport cost, entropic objective, entropy,
// duality gap, iterations). It redraws at the next animation frame when a re-run (an ε drag)
// brings a new plan; the canvas says what it drew in data attributes (mode, lines, run, ε).
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { imageLayout } from '../../graph-nodes/core/shapes';
import type { CouplingPreview } from '../engine/engine-protocol';
import {
  COUPLING_COLOURS,
  couplingBounds,
  drawHeatMap,
  drawPlanLines,
  drawPlanePoints,
  drawValuedPoints,
  HEAT_GRADIENT,
  heatMapRect,
  LOG_DECADES,
} from './coupling-drawing';
import { formatLevel } from './frame-stats';
import { gridSize, paddingFor, type GridFit, type TileLayout } from './image-tiles';
import { fitView, type DataBounds } from './plot-view';
import { previewState, usePreviewStore, type CouplingMode } from './preview-store';
import { drawGrid } from './scene-drawing';
import { TileGrid } from './TileGrid';
import { useBoxSize, useDevicePixelSize } from './use-box-size';
import './coupling.css';

const FALLBACK_BOUNDS: DataBounds = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };

/** The values the readout shows, in this order, with their names in the monograph's notation. */
export const COUPLING_READOUT: readonly { key: string; label: string; title: string }[] = [
  { key: 'epsilon', label: 'ε', title: 'Entropic regularisation' },
  { key: 'transport_cost', label: '⟨π, c⟩', title: 'Transport cost Σ π_ij c_ij' },
  {
    key: 'entropic_objective',
    label: 'objective',
    title: 'Entropic objective ⟨π, c⟩ + ε KL(π ‖ μ⊗ν)',
  },
  { key: 'entropy', label: 'H(π)', title: 'Entropy −Σ π_ij log π_ij' },
  { key: 'duality_gap', label: 'duality gap', title: 'Primal minus dual objective' },
  { key: 'iterations', label: 'iterations', title: 'Sinkhorn iterations this run' },
  { key: 'kl', label: 'KL', title: 'KL(π ‖ μ⊗ν)' },
  { key: 'marginal_error', label: 'marginal error', title: 'Σ_i |π_i· − a_i| + Σ_j |π_·j − b_j|' },
];

/** What the canvas shows: the mode chosen, else lines for points and the heat map for images. */
export function couplingModeFor(
  preview: CouplingPreview,
  chosen: CouplingMode | undefined,
): CouplingMode {
  if (chosen === 'pairs' && !preview.pairImages) return 'heat';
  if (chosen === 'potentials' && !preview.potentials) return 'lines';
  return chosen ?? (imageLayout(preview.shape) ? 'heat' : 'lines');
}

/** The lines or the heat map on one canvas, redrawn at most once per animation frame. */
function CouplingCanvas({
  nodeId,
  preview,
  run,
  mode,
  heatLog,
}: {
  nodeId: string;
  preview: CouplingPreview;
  run: number;
  mode: 'lines' | 'heat' | 'potentials';
  heatLog: boolean;
}) {
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width, height } = useDevicePixelSize(container);
  const ratio = window.devicePixelRatio || 1;
  const draws = useRef(0);
  // The points do not move while ε is dragged, so neither does the frame.
  const bounds = useMemo(
    () => couplingBounds(preview) ?? FALLBACK_BOUNDS,
    [preview.source, preview.target],
  );
  const view = width > 0 && height > 0 ? fitView(bounds, width, height) : undefined;
  const viewKey = view ? JSON.stringify(view) : '';

  useEffect(() => {
    const handle = requestAnimationFrame(() => {
      const context = canvas.current?.getContext('2d');
      if (!context || !view) return;
      const started = performance.now();
      context.clearRect(0, 0, view.width, view.height);
      let lines = 0;
      if (mode === 'lines') {
        drawGrid(context, view, ratio);
        lines = drawPlanLines(context, view, preview, ratio);
        drawPlanePoints(context, view, preview.source, COUPLING_COLOURS.source, 3 * ratio);
        drawPlanePoints(context, view, preview.target, COUPLING_COLOURS.target, 3 * ratio);
      } else if (mode === 'potentials' && preview.potentials) {
        drawGrid(context, view, ratio);
        const { f, g } = preview.potentials;
        const fRange = drawValuedPoints(context, view, preview.source, f, 5 * ratio);
        const gRange = drawValuedPoints(context, view, preview.target, g, 5 * ratio);
        context.canvas.dataset['fRange'] = `${fRange.min} ${fRange.max}`;
        context.canvas.dataset['gRange'] = `${gRange.min} ${gRange.max}`;
      } else {
        const margin = 22 * ratio;
        const rect = heatMapRect(preview.heat, view.width, view.height, margin);
        drawHeatMap(context, preview.heat, heatLog, rect);
        context.fillStyle = 'rgba(200,205,220,0.8)';
        context.font = `${11 * ratio}px system-ui, sans-serif`;
        context.textBaseline = 'bottom';
        context.fillText(`target j → (${preview.m})`, rect.x, rect.y - 4 * ratio);
        context.save();
        // Turned a quarter clockwise it reads downwards; 'top' puts it left of the map's edge.
        context.translate(rect.x - 4 * ratio, rect.y);
        context.rotate(Math.PI / 2);
        context.textBaseline = 'top';
        context.fillText(`source i → (${preview.n})`, 0, 0);
        context.restore();
      }
      // Set as the canvas is painted, so a reader never sees facts of an unpainted plan.
      const facts = context.canvas.dataset;
      facts['draws'] = String(++draws.current);
      facts['mode'] = mode;
      facts['lines'] = String(lines);
      facts['run'] = String(run);
      facts['epsilon'] = String(preview.epsilon);
      facts['node'] = nodeId;
      // What the drawing cost the UI thread (the canvas may rasterise later, off this count).
      facts['drawMs'] = (performance.now() - started).toFixed(1);
    });
    return () => cancelAnimationFrame(handle);
  }, [viewKey, preview, mode, heatLog, run, nodeId]);

  return (
    <div className="scatter coupling-canvas" ref={setContainer}>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        className="scatter-layer"
        data-testid="coupling-view"
        data-view={view ? viewKey : undefined}
        data-entries={preview.lines.mass.length}
      />
    </div>
  );
}

/** The largest whole-number zoom at which `count` tiles fit in one row inside `box`. */
function oneRowFit(
  count: number,
  layout: TileLayout,
  box: { width: number; height: number },
): GridFit {
  let zoom = 1;
  for (let z = 1; z <= 64; z++) {
    const size = gridSize(count, layout, { columns: count, zoom: z, padding: paddingFor(z) });
    if (size.width > box.width || size.height > box.height) break;
    zoom = z;
  }
  return { columns: Math.max(1, count), zoom, padding: paddingFor(zoom) };
}

/** The heaviest pairs of an image coupling: sources above, their targets below. */
function CouplingPairs({ preview }: { preview: CouplingPreview }) {
  const box = useRef<HTMLDivElement>(null);
  const size = useBoxSize(box);
  const ratio = window.devicePixelRatio || 1;
  const pairs = preview.pairImages;
  const layout = imageLayout(preview.shape);
  const count = pairs?.source.count ?? 0;
  // One row each, so pair k is the k-th tile of both rows.
  const rowFit = useMemo(
    () =>
      layout && size.width > 0 && count > 0
        ? oneRowFit(count, layout, {
            width: Math.floor((size.width - 2) * ratio),
            height: Math.floor(((size.height - 60) / 2) * ratio),
          })
        : undefined,
    [layout, count, size.width, size.height, ratio],
  );
  const masses = Array.from(preview.lines.mass.subarray(0, count), (mass) => mass.toPrecision(2));
  return (
    <div className="coupling-pairs" ref={box} data-testid="coupling-pairs">
      <figure>
        <TileGrid cloud={pairs?.source} fit={rowFit} testId="coupling-pairs-source" />
        <figcaption>source x_i</figcaption>
      </figure>
      <figure>
        <TileGrid cloud={pairs?.target} fit={rowFit} testId="coupling-pairs-target" />
        <figcaption>target y_j · π_ij = {masses.join(', ')}</figcaption>
      </figure>
    </div>
  );
}

function CouplingReadout({ preview }: { preview: CouplingPreview }) {
  const values: Record<string, number> = { epsilon: preview.epsilon, ...preview.values };
  return (
    <dl className="coupling-readout" data-testid="coupling-readout">
      {COUPLING_READOUT.filter(({ key }) => values[key] !== undefined).map(
        ({ key, label, title }) => (
          <div
            key={key}
            title={title}
            data-testid={`coupling-value-${key}`}
            data-value={values[key]}
          >
            <dt>{label}</dt>
            <dd>
              {key === 'iterations' ? String(values[key]) : formatLevel(values[key]!)}
              {key === 'epsilon' && values[key] === 0 ? ' (exact)' : ''}
            </dd>
          </div>
        ),
      )}
    </dl>
  );
}

const MODES: readonly { mode: CouplingMode; label: string; title: string }[] = [
  { mode: 'lines', label: 'Lines', title: 'The heaviest pairs as lines, opacity ∝ π_ij / max π' },
  { mode: 'heat', label: 'Heat map', title: 'π as an image: source i down, target j across' },
  { mode: 'pairs', label: 'Pairs', title: 'The heaviest pairs’ images, source above target' },
  {
    mode: 'potentials',
    label: 'Potentials',
    title:
      'The dual potentials f (sources) and g (targets) as colours: π_ij = a_i b_j e^{(f_i + g_j − c_ij)/ε}',
  },
];

export function CouplingPanel({
  nodeId,
  preview,
  run,
  chooser,
}: {
  nodeId: string;
  preview: CouplingPreview;
  run: number;
  chooser: ReactNode;
}) {
  const chosen = usePreviewStore((state) => state.couplingMode);
  const chosenLog = usePreviewStore((state) => state.heatLog);
  const mode = couplingModeFor(preview, chosen);
  // An image plan's mass sits on a few pairs per row: a linear scale shows only the heaviest.
  const heatLog = chosenLog ?? imageLayout(preview.shape) !== undefined;
  const { n, m, heat } = preview;
  const lineCount = preview.lines.mass.length;
  const entries = n * m;
  const { perSource, perTarget } = preview.lines;
  const how =
    perSource > 0 || perTarget > 0
      ? ` (the heaviest, and each point’s ${perSource === perTarget ? perSource : `${perSource}/${perTarget}`} heaviest)`
      : ' (the heaviest)';
  const shown =
    lineCount < preview.support
      ? `${lineCount.toLocaleString('en')} of ${preview.support.toLocaleString('en')} entries ` +
        `drawn${how}, ${(100 * preview.shownMass).toFixed(1)}% of the mass`
      : `all ${lineCount.toLocaleString('en')} entries > 0`;
  const blocks =
    heat.rowBlock > 1 || heat.colBlock > 1
      ? ` · heat map of ${heat.rowBlock} × ${heat.colBlock} block means`
      : '';
  const reference = preview.reference === 'vp' ? ', VP reference' : '';
  return (
    <section className="preview coupling-preview" aria-label="Coupling" data-testid="coupling-dock">
      <header>
        <h2>Coupling</h2>
        {chooser}
        <span className="caption" data-testid="preview-caption">
          {nodeId} · {n} × {m} plan ({entries.toLocaleString('en')} entries{reference}) · {shown}
          {blocks}
        </span>
        <span className="spacer" />
        <div className="coupling-modes" role="group" aria-label="Coupling view">
          {MODES.filter(
            ({ mode: m }) =>
              (m !== 'pairs' || preview.pairImages) && (m !== 'potentials' || preview.potentials),
          ).map((entry) => (
            <button
              key={entry.mode}
              type="button"
              className={mode === entry.mode ? 'active' : undefined}
              aria-pressed={mode === entry.mode}
              title={entry.title}
              data-testid={`coupling-mode-${entry.mode}`}
              onClick={() => previewState.setCouplingMode(entry.mode)}
            >
              {entry.label}
            </button>
          ))}
        </div>
      </header>
      {mode === 'pairs' ? (
        <CouplingPairs preview={preview} />
      ) : (
        <CouplingCanvas nodeId={nodeId} preview={preview} run={run} mode={mode} heatLog={heatLog} />
      )}
      <CouplingReadout preview={preview} />
      <footer className="legend coupling-legend">
        {mode === 'pairs' ? (
          <span>the {preview.pairImages?.source.count} heaviest pairs of π, heaviest first</span>
        ) : mode === 'potentials' ? (
          <>
            <span className="heat-bar" style={{ background: HEAT_GRADIENT }} />
            <span>
              each cloud from its lowest to its highest potential: f on the sources (t = 0), g on
              the targets (t = 1); defined up to f + t, g − t
            </span>
          </>
        ) : mode === 'heat' ? (
          <>
            <span className="heat-bar" style={{ background: HEAT_GRADIENT }} />
            <span>
              {heatLog ? `max π × 10⁻${LOG_DECADES} … max π (log)` : '0 … max π (linear)'}
            </span>
            <label className="layer-toggle">
              <input
                type="checkbox"
                checked={heatLog}
                data-testid="coupling-heat-log"
                onChange={(event) => previewState.setHeatLog(event.target.checked)}
              />
              log scale
            </label>
          </>
        ) : (
          <>
            <span className="legend-entry">
              <span className="swatch" style={{ background: COUPLING_COLOURS.source }} /> source μ
              (t = 0)
            </span>
            <span className="legend-entry">
              <span className="swatch" style={{ background: COUPLING_COLOURS.target }} /> target ν
              (t = 1)
            </span>
            <span className="legend-entry">
              <span className="swatch coupling-line" /> pairs, opacity ∝ π_ij / max π
            </span>
          </>
        )}
      </footer>
    </section>
  );
}
