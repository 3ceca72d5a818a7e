// A node's picture of what it produced in the last run, under its params: a schedule's α(t),
// σ(t) and log-SNR, a timesteps node's σ̃ list, a few of a node's samples (a row of images when
// its points are images), a coupling's heaviest pairs as lines (its heat map for images). One
// small canvas per card that redraws only when its own preview changes, so dragging a large
// graph stays cheap.
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

const WIDTH = 206;
const HEIGHT = 56;
const PAD = 4;
const CURVE_COLOURS = { alpha: '#8ecae6', sigma: '#ffd166', logSnr: '#b388ff' } as const;

type Context = CanvasRenderingContext2D;

function polyline(context: Context, ys: ArrayLike<number>, low: number, high: number): void {
  const n = ys.length;
  context.beginPath();
  for (let k = 0; k < n; k++) {
    const x = PAD + ((WIDTH - 2 * PAD) * k) / Math.max(1, n - 1);
    const unit = high > low ? (ys[k]! - low) / (high - low) : 0.5;
    const y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * Math.min(1, Math.max(0, unit));
    if (k === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  }
  context.stroke();
}

function finiteRange(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const value = values[k]!;
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return [low, high];
}

/** α and σ share one axis (both start at 0 or 1 for most schedules); log-SNR gets its own. */
function drawSchedule(context: Context, preview: Extract<NodePreviewData, { kind: 'schedule' }>) {
  const [aLow, aHigh] = finiteRange(preview.alpha);
  const [sLow, sHigh] = finiteRange(preview.sigma);
  const low = Math.min(aLow, sLow, 0);
  const high = Math.max(aHigh, sHigh);
  context.lineWidth = 1.5;
  context.strokeStyle = CURVE_COLOURS.alpha;
  polyline(context, preview.alpha, low, high);
  context.strokeStyle = CURVE_COLOURS.sigma;
  polyline(context, preview.sigma, low, high);
  context.setLineDash([3, 2]);
  context.strokeStyle = CURVE_COLOURS.logSnr;
  polyline(context, preview.logSnr, ...finiteRange(preview.logSnr));
  context.setLineDash([]);
}

/** σ̃ per step on a log axis (the final 0 sits on the floor). */
function drawTimesteps(context: Context, sigmaTilde: Float64Array) {
  const logs = Array.from(sigmaTilde, (s) => (s > 0 ? Math.log10(s) : -Infinity));
  const [low, high] = finiteRange(logs);
  context.fillStyle = CURVE_COLOURS.sigma;
  context.strokeStyle = 'rgba(255,209,102,0.35)';
  context.lineWidth = 1;
  polyline(
    context,
    logs.map((v) => (Number.isFinite(v) ? v : low)),
    low,
    high,
  );
  logs.forEach((value, k) => {
    const x = PAD + ((WIDTH - 2 * PAD) * k) / Math.max(1, logs.length - 1);
    const unit = Number.isFinite(value) && high > low ? (value - low) / (high - low) : 0;
    const y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * unit;
    context.fillRect(x - 1.5, y - 1.5, 3, 3);
  });
}

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

/** Draws the preview; returns how many images it drew (0 for plots). */
function draw(context: Context, preview: NodePreviewData, ratio: number): number {
  context.clearRect(0, 0, WIDTH, HEIGHT);
  if (preview.kind === 'schedule') drawSchedule(context, preview);
  else if (preview.kind === 'timesteps') drawTimesteps(context, preview.sigmaTilde);
  else if (preview.kind === 'coupling') drawCoupling(context, preview);
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

/**
 * The card's preview; with `reserve`, its room is kept before the first run too, so that a run
 * does not make the card taller (and overlap the nodes laid out below it).
 */
function NodePreviewView({ nodeId, reserve = false }: { nodeId: string; reserve?: boolean }) {
  const preview = useRunStore((state) => state.nodePreviews[nodeId]);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element || !preview) return;
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
