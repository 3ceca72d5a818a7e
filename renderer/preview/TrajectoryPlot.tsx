// The 2-D trajectory view on three stacked canvases: grid and data at the back (redrawn only when
// the view or the data change), trails, contours and x̂₀ in the middle, the particles on top.
// Redraws wait for the next animation frame, so a burst of frames costs one paint. The particle
// canvas carries its data→pixel view and the shown frame's facts in data attributes, so tests
// and tools can check what is drawn.
import { useEffect, useRef, useState } from 'react';
import type { TrajectoryFrame } from '../run/run-store';
import { spreadOf } from './frame-stats';
import { fitView, type DataBounds } from './plot-view';
import type { PreviewLayers } from './preview-store';
import { drawBackdrop, drawOverlay, drawPoints, type Backdrop } from './scene-drawing';
import { useDevicePixelSize } from './use-box-size';

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
  const { bounds, backdrop, frames, index, layers, particleColour, run } = props;
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const backCanvas = useRef<HTMLCanvasElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const pointsCanvas = useRef<HTMLCanvasElement>(null);
  const { width, height } = useDevicePixelSize(container);
  const view = width > 0 && height > 0 ? fitView(bounds, width, height) : undefined;
  const viewKey = view ? JSON.stringify(view) : '';
  const frame = frames[index];
  const ratio = window.devicePixelRatio || 1;
  const draws = useRef(0);

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
        ref={pointsCanvas}
        width={width}
        height={height}
        className="scatter-layer"
        data-testid="scatter-points"
        data-view={view ? viewKey : undefined}
        data-point-count={frame?.points.count ?? 0}
      />
    </div>
  );
}
