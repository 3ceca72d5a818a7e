// A history entry's thumbnail: its run's final frame drawn by the dock's own code, small. Points
// over the grid and the data the dock draws behind them (framed like the dock, so thumbnails of
// one problem line up); images as a few tiles of the engine's grid, shrunk to fit.
import { dataBounds } from '../preview/backdrop';
import { cloudImageLayout, fitGrid, paintTiles, tileImages } from '../preview/image-tiles';
import { fitView, padBounds, robustBounds } from '../preview/plot-view';
import type { PreviewScene } from '../preview/preview-scene';
import { COLOURS, drawBackdrop, drawPoints } from '../preview/scene-drawing';
import type { TrajectoryRecord } from '../run/run-store';

/** Images a thumbnail shows at most: more would be too small to tell apart. */
const THUMBNAIL_IMAGES = 4;

function drawImages(
  context: CanvasRenderingContext2D,
  record: TrajectoryRecord,
  width: number,
  height: number,
): void {
  const cloud = record.frames.at(-1)?.points;
  const layout = cloudImageLayout(cloud);
  if (!cloud || !layout) return;
  const count = Math.min(cloud.count, THUMBNAIL_IMAGES);
  const tiles = tileImages(cloud, fitGrid(count, layout, { width, height }), count);
  if (!tiles) return;
  const small = new OffscreenCanvas(tiles.width, tiles.height);
  paintTiles(small, tiles);
  // Tiles that do not fit even at one pixel per image pixel are shrunk, smoothly.
  const scale = Math.min(1, width / tiles.width, height / tiles.height);
  context.imageSmoothingEnabled = scale < 1;
  const drawnWidth = Math.round(tiles.width * scale);
  const drawnHeight = Math.round(tiles.height * scale);
  context.drawImage(
    small,
    Math.round((width - drawnWidth) / 2),
    Math.round((height - drawnHeight) / 2),
    drawnWidth,
    drawnHeight,
  );
}

/** Draws the run's final frame on a canvas of `width` × `height` device pixels. */
export function drawRunThumbnail(
  context: CanvasRenderingContext2D,
  record: TrajectoryRecord,
  scene: PreviewScene,
  width: number,
  height: number,
  ratio: number,
): void {
  context.fillStyle = COLOURS.background;
  context.fillRect(0, 0, width, height);
  const final = record.frames.at(-1)?.points;
  if (!final) return;
  if (cloudImageLayout(final)) {
    drawImages(context, record, width, height);
    return;
  }
  const fromSamples = robustBounds(final.values, final.dim);
  const bounds =
    scene.bounds ??
    dataBounds(scene.backdrop) ??
    (fromSamples ? padBounds(fromSamples, 0.1) : undefined);
  if (!bounds || final.dim < 2) return;
  const view = fitView(bounds, width, height);
  drawBackdrop(context, view, scene.backdrop, true, ratio);
  drawPoints(context, view, final, COLOURS.final, 1.5 * ratio);
}
