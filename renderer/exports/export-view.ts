// Exports of what the trajectory dock shows: the view as a PNG that carries the graph (opening
// the PNG restores it), the solver's full trajectory as .npy, and the run as an animated GIF.
// Image-shaped runs export what the dock shows of them: the x̃ grid beside the x̂₀ grid, labelled
// and captioned, gray or RGB, each image pixel a whole block of pixels.
import { encodePng } from '../../graph-nodes/math/png';
import { engineClient } from '../engine/engine-client';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { documentBaseName as baseName } from '../files/file-store';
import { downloadBytes } from '../platform/browser-files';
import { formatLevel } from '../preview/frame-stats';
import { formatShape } from '../../graph-nodes/core/shapes';
import { cloudImageLayout, paintTiles, tileImages } from '../preview/image-tiles';
import { fitView, type DataBounds } from '../preview/plot-view';
import type { PreviewLayers } from '../preview/preview-store';
import { COLOURS, drawScene, type Backdrop } from '../preview/scene-drawing';
import type { TrajectoryFrame, TrajectoryRecord } from '../run/run-store';
import { encodeGif } from './gif-encoder';
import { imageExportLayout, MARGIN } from './image-export-layout';
import { GRAPH_TEXT_KEYWORD, graphPngText } from '../../graph-nodes/core/png-graph';

const PNG_SIZE = 900;
const GIF_SIZE = 480;
/** Widest an image run's export may be: two grids at the largest whole zoom that fits. */
const IMAGE_PNG_WIDTH = 1000;
const IMAGE_GIF_WIDTH = 640;

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

function caption(context: CanvasRenderingContext2D, text: string): void {
  context.font = '14px system-ui, sans-serif';
  context.fillStyle = 'rgba(230,233,240,0.85)';
  context.fillText(text, 12, context.canvas.height - 12);
}

function frameCaption(nodeId: string, frame: TrajectoryFrame): string {
  return `${nodeId} · step ${frame.step} · t ${formatLevel(frame.t)} · σ̃ ${formatLevel(frame.sigmaTilde)}`;
}

/** Frame `index` drawn as the dock draws it: a 2-D scene, or image grids of x̃ beside x̂₀. */
function renderFrame(
  source: ExportSource,
  index: number,
  size: number,
  imageWidth: number,
): CanvasRenderingContext2D {
  const { record } = source;
  const frame = record.frames[index];
  if (!frame) throw new Error(`step ${index} has not arrived yet`);
  if (cloudImageLayout(frame.points)) return renderImages(frame, record.nodeId, imageWidth);
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
  caption(context, frameCaption(record.nodeId, frame));
  return context;
}

/** x̃ and x̂₀ as two labelled grids side by side (image-export-layout), captioned with the step. */
function renderImages(
  frame: TrajectoryFrame,
  nodeId: string,
  maxWidth: number,
): CanvasRenderingContext2D {
  const layout = cloudImageLayout(frame.points)!;
  const { count, shape } = frame.points;
  const { fit, grid, width, height, top } = imageExportLayout(count, layout, maxWidth);
  const context = canvasOf(width, height);
  context.fillStyle = COLOURS.background;
  context.fillRect(0, 0, width, height);
  const panels = [
    { cloud: frame.points, label: 'particles x̃' },
    { cloud: frame.x0hat, label: 'x̂₀, the denoiser’s prediction' },
  ];
  panels.forEach(({ cloud, label }, k) => {
    const left = MARGIN + k * (grid.width + MARGIN);
    context.font = '14px system-ui, sans-serif';
    context.fillStyle = 'rgba(230,233,240,0.85)';
    context.fillText(label, left, top - 8);
    const tiles = cloud && tileImages(cloud, fit);
    if (!tiles) {
      context.fillStyle = 'rgba(230,233,240,0.5)';
      context.fillText('none at the first step', left + 12, top + 24);
      return;
    }
    // Drawn at their own zoom already: copied pixel for pixel.
    const panel = canvasOf(tiles.width, tiles.height).canvas;
    paintTiles(panel, tiles);
    context.drawImage(panel, left, top);
  });
  const shown = count < frame.totalCount ? `${count} of ${frame.totalCount}` : `${count}`;
  caption(context, `${frameCaption(nodeId, frame)} · ${shown} images ${formatShape(shape)}`);
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

/** The shown view as PNG bytes, with the open graph's JSON in a tEXt chunk. */
export function viewPng(source: ExportSource): Uint8Array {
  const context = renderFrame(source, source.index, PNG_SIZE, IMAGE_PNG_WIDTH);
  const { width, height } = context.canvas;
  return encodePng({
    width,
    height,
    channels: 3,
    pixels: rgbOf(context),
    text: {
      [GRAPH_TEXT_KEYWORD]: graphPngText(serializeDocument(useGraphStore.getState().document)),
      Software: 'Principia',
    },
  });
}

/** A long run's GIF shows every k-th step (and the last), so it stays a few megabytes at most. */
const MAX_GIF_FRAMES = 120;

/** The run's frames as a looping GIF, at the given playback speed. */
export function runGif(source: ExportSource, fps: number): Uint8Array {
  const count = source.record.frames.length;
  const stride = Math.max(1, Math.ceil((count - 1) / (MAX_GIF_FRAMES - 1)));
  const shown: number[] = [];
  for (let index = 0; index < count - 1; index += stride) shown.push(index);
  shown.push(count - 1);
  return encodeGif({
    frameCount: shown.length,
    frame: (k) => {
      const context = renderFrame(source, shown[k]!, GIF_SIZE, IMAGE_GIF_WIDTH);
      const { width, height } = context.canvas;
      return context.getImageData(0, 0, width, height);
    },
    delayMs: 1000 / fps,
  });
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
