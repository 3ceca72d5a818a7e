// Exports of what the trajectory dock shows: the view as a PNG that carries the graph (opening
// the PNG restores it), the solver's full trajectory as .npy, and the run as an animated GIF.
import { encodePng } from '../../graph-nodes/math/png';
import { engineClient } from '../engine/engine-client';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { documentBaseName as baseName } from '../files/file-store';
import { downloadBytes } from '../platform/browser-files';
import { formatLevel } from '../preview/frame-stats';
import { tileImages, imageSide } from '../preview/image-tiles';
import { fitView, type DataBounds } from '../preview/plot-view';
import type { PreviewLayers } from '../preview/preview-store';
import { COLOURS, drawScene, type Backdrop } from '../preview/scene-drawing';
import type { TrajectoryFrame, TrajectoryRecord } from '../run/run-store';
import { encodeGif, fixedPalette, quantize } from './gif-encoder';
import { GRAPH_TEXT_KEYWORD } from '../../graph-nodes/core/png-graph';

const PNG_SIZE = 900;
const GIF_SIZE = 480;
/** Image data is drawn this many screen pixels per image pixel. */
const IMAGE_ZOOM = 6;

export interface ExportSource {
  readonly record: TrajectoryRecord;
  readonly index: number;
  readonly bounds: DataBounds;
  readonly backdrop: Backdrop;
  readonly layers: PreviewLayers;
}

function canvasOf(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('this browser cannot draw on a canvas');
  return context;
}

function caption(context: CanvasRenderingContext2D, nodeId: string, frame: TrajectoryFrame): void {
  const text = `${nodeId} · step ${frame.step} · t ${formatLevel(frame.t)} · σ̃ ${formatLevel(frame.sigmaTilde)}`;
  context.font = '14px system-ui, sans-serif';
  context.fillStyle = 'rgba(230,233,240,0.85)';
  context.fillText(text, 12, context.canvas.height - 12);
}

/** Frame `index` drawn as the dock draws it: a 2-D scene, or image tiles of x̃ beside x̂₀. */
function renderFrame(source: ExportSource, index: number, size: number): CanvasRenderingContext2D {
  const { record } = source;
  const frame = record.frames[index];
  if (!frame) throw new Error(`step ${index} has not arrived yet`);
  if (imageSide(frame.points.dim)) return renderImages(frame, record.nodeId);
  const context = canvasOf(size, size);
  const last = index === record.frames.length - 1;
  drawScene(context, {
    view: fitView(source.bounds, size, size),
    backdrop: source.backdrop,
    frames: record.frames,
    index,
    layers: source.layers,
    particleColour: last ? COLOURS.final : COLOURS.live,
  });
  caption(context, record.nodeId, frame);
  return context;
}

function renderImages(frame: TrajectoryFrame, nodeId: string): CanvasRenderingContext2D {
  const tiles = [frame.points, frame.x0hat].map((cloud) => (cloud ? tileImages(cloud) : undefined));
  const first = tiles[0]!;
  const gap = 16;
  const width = 2 * first.width * IMAGE_ZOOM + 3 * gap;
  const height = first.height * IMAGE_ZOOM + 2 * gap + 24;
  const context = canvasOf(width, height);
  context.fillStyle = COLOURS.background;
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = false;
  tiles.forEach((tile, k) => {
    if (!tile) return;
    const small = canvasOf(tile.width, tile.height);
    const data = new ImageData(tile.width, tile.height);
    data.data.set(tile.rgba);
    small.putImageData(data, 0, 0);
    const left = gap + k * (first.width * IMAGE_ZOOM + gap);
    context.drawImage(small.canvas, left, gap, tile.width * IMAGE_ZOOM, tile.height * IMAGE_ZOOM);
  });
  caption(context, nodeId, frame);
  return context;
}

function rgbOf(context: CanvasRenderingContext2D): Uint8Array {
  const { width, height } = context.canvas;
  const rgba = context.getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    rgb[3 * p] = rgba[4 * p]!;
    rgb[3 * p + 1] = rgba[4 * p + 1]!;
    rgb[3 * p + 2] = rgba[4 * p + 2]!;
  }
  return rgb;
}

/** The shown view as PNG bytes, with the open graph's JSON in an iTXt chunk. */
export function viewPng(source: ExportSource): Uint8Array {
  const context = renderFrame(source, source.index, PNG_SIZE);
  const { width, height } = context.canvas;
  return encodePng({
    width,
    height,
    channels: 3,
    pixels: rgbOf(context),
    text: {
      [GRAPH_TEXT_KEYWORD]: serializeDocument(useGraphStore.getState().document),
      Software: 'Principia',
    },
  });
}

/** A long run's GIF shows every k-th step (and the last), so it stays a few megabytes at most. */
const MAX_GIF_FRAMES = 120;

/** The run's frames as a looping GIF, at the given playback speed. */
export function runGif(source: ExportSource, fps: number): Uint8Array {
  const palette = fixedPalette();
  const frames: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  const count = source.record.frames.length;
  const stride = Math.max(1, Math.ceil((count - 1) / (MAX_GIF_FRAMES - 1)));
  const shown: number[] = [];
  for (let index = 0; index < count - 1; index += stride) shown.push(index);
  shown.push(count - 1);
  for (const index of shown) {
    const context = renderFrame(source, index, GIF_SIZE);
    ({ width, height } = context.canvas);
    frames.push(quantize(context.getImageData(0, 0, width, height).data, palette));
  }
  return encodeGif({ width, height, frames, palette, delayMs: 1000 / fps });
}

export function exportViewPng(source: ExportSource): void {
  const step = source.record.frames[source.index]?.step ?? 0;
  downloadBytes(
    `${baseName()}-${source.record.nodeId}-step${step}.png`,
    viewPng(source),
    'image/png',
  );
}

export function exportRunGif(source: ExportSource, fps: number): void {
  downloadBytes(`${baseName()}-${source.record.nodeId}.gif`, runGif(source, fps), 'image/gif');
}

export async function exportTrajectoryNpy(nodeId: string): Promise<void> {
  const bytes = await engineClient().trajectoryNpy(nodeId);
  downloadBytes(`${baseName()}-${nodeId}-trajectory.npy`, bytes, 'application/octet-stream');
}
