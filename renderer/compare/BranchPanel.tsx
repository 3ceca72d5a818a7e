// One branch of a comparison: the solver's particles at the shared scrubber's moment, each in
// its own colour, over the data. The canvas says what it shows in data attributes (step, σ̃,
// spread) so tests can read it.
import { useEffect, useRef } from 'react';
import { spreadOf } from '../preview/frame-stats';
import { fitView, toPixelX, toPixelY, type DataBounds } from '../preview/plot-view';
import { drawBackdrop, type Backdrop } from '../preview/scene-drawing';
import type { TrajectoryFrame } from '../run/run-store';

const PANEL_PIXELS = 240;

interface BranchPanelProps {
  readonly title: string;
  readonly nodeId: string;
  readonly frame: TrajectoryFrame | undefined;
  readonly colours: readonly string[];
  readonly bounds: DataBounds;
  readonly backdrop: Backdrop;
}

export function BranchPanel({ title, nodeId, frame, colours, bounds, backdrop }: BranchPanelProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const handle = requestAnimationFrame(() => {
      const ratio = window.devicePixelRatio || 1;
      const size = Math.round(PANEL_PIXELS * ratio);
      const view = fitView(bounds, size, size);
      context.clearRect(0, 0, size, size);
      drawBackdrop(context, view, backdrop, true, ratio);
      if (!frame) return;
      const { values, count, dim } = frame.points;
      const dot = 2.5 * ratio;
      for (let i = 0; i < count; i++) {
        context.fillStyle = colours[i] ?? '#8ecae6';
        context.fillRect(
          toPixelX(view, values[i * dim]!) - dot / 2,
          toPixelY(view, values[i * dim + 1]!) - dot / 2,
          dot,
          dot,
        );
      }
    });
    return () => cancelAnimationFrame(handle);
  }, [frame, colours, bounds, backdrop]);

  const ratio = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  return (
    <figure className="branch-panel" data-testid={`branch-${nodeId}`}>
      <figcaption>
        <strong>{title}</strong>
        <span className="branch-facts">
          {frame ? `step ${frame.step} · σ̃ ${frame.sigmaTilde.toPrecision(3)}` : 'not run yet'}
        </span>
      </figcaption>
      <canvas
        ref={canvas}
        width={Math.round(PANEL_PIXELS * ratio)}
        height={Math.round(PANEL_PIXELS * ratio)}
        style={{ width: PANEL_PIXELS, height: PANEL_PIXELS }}
        data-step={frame?.step ?? ''}
        data-sigma={frame?.sigmaTilde ?? ''}
        data-spread={frame ? spreadOf(frame.points.values, frame.points.dim) : ''}
      />
    </figure>
  );
}
