// The 2-D trajectory view on three stacked canvases: grid and data at the back (redrawn only when
// the view or the data change), trails, contours and x̂₀ in the middle, the particles on top.
// Redraws wait for the next animation frame, so a burst of frames costs one paint. The particle
// canvas carries its data→pixel view and the shown frame's facts in data attributes, so tests
// and tools can check what is drawn.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TrajectoryFrame } from '../run/run-store';
import { spreadOf } from './frame-stats';
import { fitView, type DataBounds } from './plot-view';
import type { PreviewLayers } from './preview-store';
import { drawBackdrop, drawField, drawOverlay, drawPoints, type Backdrop } from './scene-drawing';
import { FIELD_GRID, FIELD_KINDS, scaleArrows } from './score-field';
import { useDevicePixelSize } from './use-box-size';
import { useScoreField, type FieldRequest, type FieldResult } from './use-score-field';

interface TrajectoryPlotProps {
  readonly bounds: DataBounds;
  readonly backdrop: Backdrop;
  readonly frames: readonly TrajectoryFrame[];
  /** The frame shown; -1 when there is none. */
  readonly index: number;
  readonly layers: PreviewLayers;
  readonly particleColour: string;
  /** Which run the frames come from (shown as data-run, so a bench can count re-runs drawn). */
  readonly run?: number;
  /** The score view to draw over the plane (undefined: off). */
  readonly field?: FieldRequest;
}

/** A few of the field's vectors, as [x, y, vx, vy] at fixed grid points (data-field-samples). */
const SAMPLED_ARROWS = [
  0,
  5 * FIELD_GRID + 7,
  11 * FIELD_GRID + 3,
  12 * FIELD_GRID + 18,
  20 * FIELD_GRID + 14,
];

/** What the field canvas says it drew. */
function fieldFacts(
  field: FieldResult,
  arrows: number,
  maxMagnitude: number,
): Record<string, string> {
  const { points, vectors } = field;
  let checksum = 0;
  for (let i = 0; i < vectors.length; i++) checksum += Math.abs(vectors[i]!) * (1 + (i % 7));
  const samples = SAMPLED_ARROWS.filter((i) => 2 * i + 1 < points.length).map((i) => [
    points[2 * i]!,
    points[2 * i + 1]!,
    vectors[2 * i]!,
    vectors[2 * i + 1]!,
  ]);
  return {
    fieldKind: field.kind,
    fieldSigma: String(field.sigma),
    fieldArrows: String(arrows),
    fieldMax: String(maxMagnitude),
    fieldChecksum: checksum.toPrecision(8),
    fieldSamples: JSON.stringify(samples),
  };
}

const FIELD_FACTS = [
  'fieldKind',
  'fieldSigma',
  'fieldArrows',
  'fieldMax',
  'fieldChecksum',
  'fieldSamples',
];

/** "score ∇log p = (D − x̃)/σ̃² at σ̃ 1.23 · arrows of fixed length, opacity ∝ |v| (max 4.5)". */
function FieldLegend({
  field,
  maxMagnitude,
  error,
}: {
  field?: FieldResult;
  maxMagnitude: number;
  error?: string;
}) {
  if (error)
    return (
      <div className="field-legend" data-testid="field-legend">
        field unavailable: {error}
      </div>
    );
  if (!field) return null;
  const entry = FIELD_KINDS.find((candidate) => candidate.kind === field.kind);
  return (
    <div className="field-legend" data-testid="field-legend">
      {entry?.label} {entry?.formula} at σ̃ {field.sigma.toPrecision(3)} · arrows of fixed length,
      opacity ∝ |v| (brightest {maxMagnitude.toPrecision(3)})
    </div>
  );
}

/** Runs `draw` at the next animation frame, replacing any draw still waiting. */
function useFrameDraw(draw: () => void, deps: readonly unknown[]): void {
  const latest = useRef(draw);
  latest.current = draw;
  useEffect(() => {
    const handle = requestAnimationFrame(() => latest.current());
    return () => cancelAnimationFrame(handle);
  }, deps);
}

export function TrajectoryPlot(props: TrajectoryPlotProps) {
  const {
    bounds,
    backdrop,
    frames,
    index,
    layers,
    particleColour,
    run,
    field: fieldRequest,
  } = props;
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const backCanvas = useRef<HTMLCanvasElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const pointsCanvas = useRef<HTMLCanvasElement>(null);
  const fieldCanvas = useRef<HTMLCanvasElement>(null);
  const { width, height } = useDevicePixelSize(container);
  const view = width > 0 && height > 0 ? fitView(bounds, width, height) : undefined;
  const viewKey = view ? JSON.stringify(view) : '';
  const frame = frames[index];
  const ratio = window.devicePixelRatio || 1;
  const draws = useRef(0);
  const { field: evaluated, error: fieldError } = useScoreField(fieldRequest, view, viewKey);
  // A field evaluated for another view (the frame moved) is not drawn over this one.
  const field = evaluated?.viewKey === viewKey ? evaluated : undefined;
  const scaled = useMemo(
    () =>
      field && view
        ? scaleArrows(field.points, field.vectors, (view.xMax - view.xMin) / FIELD_GRID)
        : undefined,
    [field],
  );

  useFrameDraw(() => {
    const context = fieldCanvas.current?.getContext('2d');
    if (!context || !view) return;
    context.clearRect(0, 0, view.width, view.height);
    const facts = context.canvas.dataset;
    if (!field || !scaled) {
      for (const key of FIELD_FACTS) delete facts[key];
      return;
    }
    drawField(context, view, scaled.arrows, ratio);
    Object.assign(facts, fieldFacts(field, scaled.arrows.length, scaled.maxMagnitude));
  }, [viewKey, field, scaled]);

  useFrameDraw(() => {
    const context = backCanvas.current?.getContext('2d');
    if (!context || !view) return;
    context.clearRect(0, 0, view.width, view.height);
    drawBackdrop(context, view, backdrop, layers.data, ratio);
  }, [viewKey, backdrop, layers.data]);

  useFrameDraw(() => {
    const overlay = overlayCanvas.current?.getContext('2d');
    const points = pointsCanvas.current?.getContext('2d');
    if (!overlay || !points || !view) return;
    overlay.clearRect(0, 0, view.width, view.height);
    points.clearRect(0, 0, view.width, view.height);
    // Set on the element as it is painted, so a reader never sees facts of an unpainted frame.
    const facts = points.canvas.dataset;
    facts['draws'] = String(++draws.current);
    if (!frame || frame.points.dim < 2) {
      delete facts['step'];
      delete facts['spread'];
      delete facts['run'];
      delete facts['t'];
      return;
    }
    drawOverlay(overlay, view, frames, index, layers, ratio);
    drawPoints(points, view, frame.points, particleColour, 2.5 * ratio);
    facts['step'] = String(frame.step);
    facts['t'] = String(frame.t);
    facts['run'] = String(run ?? 0);
    facts['spread'] = String(spreadOf(frame.points.values, frame.points.dim));
  }, [viewKey, frames, index, layers, particleColour, run]);

  return (
    <div className="scatter" ref={setContainer}>
      <canvas ref={backCanvas} width={width} height={height} className="scatter-layer" />
      <canvas ref={overlayCanvas} width={width} height={height} className="scatter-layer" />
      <canvas
        ref={fieldCanvas}
        width={width}
        height={height}
        className="scatter-layer"
        data-testid="scatter-field"
      />
      <canvas
        ref={pointsCanvas}
        width={width}
        height={height}
        className="scatter-layer"
        data-testid="scatter-points"
        data-view={view ? viewKey : undefined}
        data-point-count={frame?.points.count ?? 0}
      />
      {fieldRequest && (
        <FieldLegend
          maxMagnitude={scaled?.maxMagnitude ?? 0}
          {...(field ? { field } : {})}
          {...(fieldError ? { error: fieldError } : {})}
        />
      )}
    </div>
  );
}
