// A node's picture of what it produced in the last run, under its params: a schedule's α(t),
// σ(t) and log-SNR and a timesteps node's σ̃ list (uPlot curves, CurveThumbnail), a few of a
// node's samples (a row of images when its points are images), a coupling's heaviest pairs as
// lines (its heat map for images). One small canvas or chart per card that redraws only when its
// own preview changes, so dragging a large graph stays cheap.
import { memo, useEffect, useRef } from 'react';
import './node-preview.css';
import type { NodePreview as NodePreviewData, PointCloud } from '../engine/engine-protocol';
import { imageLayout } from '../../graph-nodes/core/shapes';
import {
  COUPLING_COLOURS,
  couplingBounds,
  drawHeatMap,
  drawPlanLines,
  drawPlanePoints,
  heatMapRect,
} from '../preview/coupling-drawing';
import { cloudImageLayout, paddingFor, paintTiles, tileImages } from '../preview/image-tiles';
import { fitView, padBounds, robustBounds, toPixelX, toPixelY } from '../preview/plot-view';
import { useRunStore } from '../run/run-store';
import { CurveThumbnail, type CurvePreview } from '../charts/CurveThumbnail';

const WIDTH = 206;
const HEIGHT = 56;
const PAD = 4;

type Context = CanvasRenderingContext2D;

/** Images a row shows at least, when they fit at zoom 1: enough to see the data vary. */
const MIN_ROW_IMAGES = 6;

/**
 * A row of the first images, each pixel a whole number of device pixels (zoomed as far as the
 * card's height and a row of MIN_ROW_IMAGES allow); returns how many it drew.
 */
function drawImageRow(context: Context, points: PointCloud, ratio: number): number {
  const layout = cloudImageLayout(points);
  if (!layout || points.count === 0) return 0;
  const width = (WIDTH - 2 * PAD) * ratio;
  const height = (HEIGHT - 2 * PAD) * ratio;
  const wanted = Math.min(points.count, MIN_ROW_IMAGES);
  // The gap is one image pixel (paddingFor), so a row is zoom · (h + 2) high and `wanted` tiles
  // zoom · (wanted · (w + 1) + 1) wide.
  const zoom = Math.max(
    1,
    Math.min(
      Math.floor(height / (layout.height + 2)),
      Math.floor(width / (wanted * (layout.width + 1) + 1)),
    ),
  );
  const padding = paddingFor(zoom);
  const fitting = Math.floor((width - padding) / (layout.width * zoom + padding));
  const columns = Math.max(1, Math.min(points.count, fitting));
  const tiles = tileImages(points, { columns, zoom, padding }, columns);
  if (!tiles) return 0;
  const small = new OffscreenCanvas(tiles.width, tiles.height);
  paintTiles(small, tiles);
  // Images too large for the card even at zoom 1 are shrunk, the one case smoothing helps.
  const scale = Math.min(1, width / tiles.width, height / tiles.height);
  context.save();
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.imageSmoothingEnabled = scale < 1;
  const drawnWidth = Math.round(tiles.width * scale);
  const drawnHeight = Math.round(tiles.height * scale);
  context.drawImage(
    small,
    Math.round((WIDTH * ratio - drawnWidth) / 2),
    Math.round((HEIGHT * ratio - drawnHeight) / 2),
    drawnWidth,
    drawnHeight,
  );
  context.restore();
  return columns;
}

function drawCloud(
  context: Context,
  preview: Extract<NodePreviewData, { kind: 'samples' | 'dataset' }>,
) {
  const { points } = preview;
  const bounds = robustBounds(points.values, points.dim);
  if (!bounds) return;
  const view = fitView(padBounds(bounds, 0.1), WIDTH, HEIGHT);
  context.fillStyle = preview.kind === 'dataset' ? '#b388ff' : '#8ecae6';
  for (let i = 0; i < points.count; i++) {
    const x = toPixelX(view, points.values[i * points.dim]!);
    const y = toPixelY(view, points.values[i * points.dim + 1]!);
    context.fillRect(x - 0.75, y - 0.75, 1.5, 1.5);
  }
}

/** Lines a card draws of a coupling (the heaviest; the dock draws up to 20 000). */
const THUMBNAIL_LINES = 600;

/** A coupling's heaviest pairs as lines between its clouds; images: its heat map. */
function drawCoupling(context: Context, preview: Extract<NodePreviewData, { kind: 'coupling' }>) {
  if (imageLayout(preview.shape)) {
    // Log colour: a concentrated plan's few bright cells would vanish at this size.
    drawHeatMap(context, preview.heat, true, heatMapRect(preview.heat, WIDTH, HEIGHT, PAD));
    return;
  }
  const bounds = couplingBounds(preview);
  if (!bounds) return;
  const view = fitView(bounds, WIDTH, HEIGHT);
  drawPlanLines(context, view, preview, 0.75, THUMBNAIL_LINES);
  drawPlanePoints(context, view, preview.source, COUPLING_COLOURS.source, 1.5);
  drawPlanePoints(context, view, preview.target, COUPLING_COLOURS.target, 1.5);
}

type CanvasPreview = Exclude<NodePreviewData, CurvePreview>;

/** Draws the preview; returns how many images it drew (0 for plots). */
function draw(context: Context, preview: CanvasPreview, ratio: number): number {
  context.clearRect(0, 0, WIDTH, HEIGHT);
  if (preview.kind === 'coupling') drawCoupling(context, preview);
  else if (cloudImageLayout(preview.points)) return drawImageRow(context, preview.points, ratio);
  else drawCloud(context, preview);
  return 0;
}

const TITLES: Record<NodePreviewData['kind'], string> = {
  schedule: 'α(t) blue, σ(t) yellow, log-SNR dashed purple, over t',
  timesteps: 'σ̃ at each step (log scale)',
  samples: 'a sample of the output points (or images)',
  dataset: 'the data set (a few of its images, for image data)',
  coupling:
    'the plan: source (blue) and target (yellow) points, the heaviest pairs as lines (a heat map for images)',
};

/** Output types whose values a card draws a preview of (preview-data.ts nodePreviewOf). */
export const PREVIEWED_TYPES: ReadonlySet<string> = new Set([
  'schedule',
  'timesteps',
  'samples',
  'dataset',
  'coupling',
]);

const isCurve = (preview: NodePreviewData): preview is CurvePreview =>
  preview.kind === 'schedule' || preview.kind === 'timesteps';

/**
 * The card's preview; with `reserve`, its room is kept before the first run too, so that a run
 * does not make the card taller (and overlap the nodes laid out below it).
 */
function NodePreviewView({ nodeId, reserve = false }: { nodeId: string; reserve?: boolean }) {
  const preview = useRunStore((state) => state.nodePreviews[nodeId]);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element || !preview || isCurve(preview)) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = WIDTH * ratio;
    element.height = HEIGHT * ratio;
    const context = element.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    // Set here rather than rendered: only the drawing knows how many images fit.
    element.dataset['images'] = String(draw(context, preview, ratio));
  }, [preview]);
  if (!preview) {
    return reserve ? (
      <div
        className="node-preview placeholder"
        style={{ width: WIDTH, height: HEIGHT }}
        data-testid={`node-preview-${nodeId}`}
        data-kind="none"
      />
    ) : null;
  }
  if (isCurve(preview)) {
    return (
      <div
        className="node-preview"
        style={{ width: WIDTH, height: HEIGHT }}
        title={TITLES[preview.kind]}
        data-testid={`node-preview-${nodeId}`}
        data-kind={preview.kind}
      >
        <CurveThumbnail
          preview={preview}
          width={WIDTH}
          height={HEIGHT}
          label={TITLES[preview.kind]}
        />
      </div>
    );
  }
  return (
    <canvas
      ref={canvas}
      className="node-preview"
      style={{ width: WIDTH, height: HEIGHT }}
      title={TITLES[preview.kind]}
      data-testid={`node-preview-${nodeId}`}
      data-kind={preview.kind}
    />
  );
}

export const NodePreview = memo(NodePreviewView);
