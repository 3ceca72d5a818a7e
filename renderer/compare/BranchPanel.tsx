// One branch of a comparison at the shared scrubber's moment: the solver's particles, each in its
// own colour, over the data — or, for image-shaped points, a grid of its images (x̃, or the x̂₀
// that led to them). The canvas says what it shows in data attributes (step, σ̃, spread) so tests
// can read it.
import { useEffect, useMemo, useRef } from 'react';
import { cloudImageLayout, fitGrid } from '../preview/image-tiles';
import { spreadOf } from '../preview/frame-stats';
import { fitView, toPixelX, toPixelY, type DataBounds } from '../preview/plot-view';
import { drawBackdrop, type Backdrop } from '../preview/scene-drawing';
import { TileGrid } from '../preview/TileGrid';
import { useBoxSize } from '../preview/use-box-size';
import type { TrajectoryFrame } from '../run/run-store';

const PANEL_PIXELS = 240;

/** Which images a panel of image data shows. */
export type ImageChoice = 'x' | 'x0hat';

interface BranchPanelProps {
  readonly title: string;
  readonly nodeId: string;
  readonly frame: TrajectoryFrame | undefined;
  readonly colours: readonly string[];
  readonly bounds: DataBounds;
  readonly backdrop: Backdrop;
  readonly images: ImageChoice;
}

function frameFacts(frame: TrajectoryFrame | undefined) {
  return {
    'data-step': frame?.step ?? '',
    'data-sigma': frame?.sigmaTilde ?? '',
    'data-spread': frame ? spreadOf(frame.points.values, frame.points.dim) : '',
  };
}

function PointsCanvas({ frame, colours, bounds, backdrop }: BranchPanelProps) {
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
    <canvas
      ref={canvas}
      className="branch-points"
      width={Math.round(PANEL_PIXELS * ratio)}
      height={Math.round(PANEL_PIXELS * ratio)}
      style={{ width: PANEL_PIXELS, height: PANEL_PIXELS }}
      data-kind="points"
      {...frameFacts(frame)}
    />
  );
}

/** The branch's images in a square box, at the largest whole-number zoom the box allows. */
function ImagesCanvas({ nodeId, frame, images }: BranchPanelProps) {
  const box = useRef<HTMLDivElement>(null);
  const { width: boxWidth } = useBoxSize(box);
  const ratio = window.devicePixelRatio || 1;
  const cloud = images === 'x0hat' ? frame?.x0hat : frame?.points;
  const count = frame?.points.count ?? 0;
  const { channels, width, height } = cloudImageLayout(frame?.points) ?? {
    channels: 1,
    width: 0,
    height: 0,
  };
  const fit = useMemo(() => {
    const side = Math.floor((boxWidth - 2) * ratio);
    return width > 0 && side > 0
      ? fitGrid(count, { channels, width, height }, { width: side, height: side })
      : undefined;
  }, [count, channels, width, height, boxWidth, ratio]);
  return (
    <div className="branch-images" ref={box}>
      <TileGrid
        cloud={cloud}
        fit={fit}
        testId={`branch-images-${nodeId}`}
        data={{ 'data-kind': 'images', 'data-show': images, ...frameFacts(frame) }}
      />
      {frame && !cloud && <span className="branch-none">no x̂₀ at the first step</span>}
    </div>
  );
}

export function BranchPanel(props: BranchPanelProps) {
  const { title, nodeId, frame, images } = props;
  const isImage = cloudImageLayout(frame?.points) !== undefined;
  const shown = isImage ? (images === 'x0hat' ? ' · x̂₀' : ' · x̃') : '';
  return (
    <figure className="branch-panel" data-testid={`branch-${nodeId}`}>
      <figcaption>
        <strong>{title}</strong>
        <span className="branch-facts">
          {frame
            ? `step ${frame.step} · σ̃ ${frame.sigmaTilde.toPrecision(3)}${shown}`
            : 'not run yet'}
        </span>
      </figcaption>
      {isImage ? <ImagesCanvas {...props} /> : <PointsCanvas {...props} />}
    </figure>
  );
}
