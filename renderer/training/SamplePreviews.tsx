// Samples of the model as it trains, one tile per preview, labelled with its step: a scatter for
// points in the plane (every tile in one view, so they can be compared), image tiles for images.
// Drawn with the dock's own scatter and image-grid code.
import { memo, useEffect, useMemo, useRef } from 'react';
import type { PointCloud } from '../engine/engine-protocol';
import { spreadOf } from '../preview/frame-stats';
import { cloudImageLayout, paddingFor, paintTiles, tileImages } from '../preview/image-tiles';
import { fitView, padBounds, robustBounds, type DataBounds } from '../preview/plot-view';
import { COLOURS, drawGrid, drawPoints } from '../preview/scene-drawing';
import type { SamplePreview } from './training-store';

/** A tile's side in CSS pixels. */
const TILE = 100;
/** Images in a tile's row (of the previewCount drawn): 3 × 29 px of 28 × 28 images fit a tile. */
const IMAGE_COLUMNS = 3;

function drawScatter(canvas: HTMLCanvasElement, points: PointCloud, bounds: DataBounds): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(TILE * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  const view = fitView(bounds, canvas.width, canvas.height);
  context.fillStyle = COLOURS.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  drawGrid(context, view, ratio);
  drawPoints(context, view, points, COLOURS.final, 2 * ratio);
}

function drawImages(canvas: HTMLCanvasElement, points: PointCloud): void {
  const layout = cloudImageLayout(points)!;
  const ratio = window.devicePixelRatio || 1;
  const columns = Math.min(IMAGE_COLUMNS, points.count);
  const zoom = Math.max(1, Math.floor((TILE * ratio) / (columns * (layout.width + 1) + 1)));
  const tiles = tileImages(points, { columns, zoom, padding: paddingFor(zoom) }, columns ** 2);
  if (!tiles) return;
  paintTiles(canvas, tiles);
  // Whole image pixels per device pixel: shown at the tiles' own size, not stretched to the tile.
  canvas.style.width = `${tiles.width / ratio}px`;
  canvas.style.height = `${tiles.height / ratio}px`;
}

const SampleTile = memo(function SampleTile({
  preview,
  bounds,
}: {
  preview: SamplePreview;
  bounds: DataBounds | undefined;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const images = cloudImageLayout(preview.points) !== undefined;
  useEffect(() => {
    if (!canvas.current) return;
    if (images) drawImages(canvas.current, preview.points);
    else if (bounds) drawScatter(canvas.current, preview.points, bounds);
  }, [preview, bounds, images]);
  const { values, dim } = preview.points;
  return (
    <figure
      className="sample-preview"
      data-testid="sample-preview"
      data-step={preview.step}
      data-kind={images ? 'images' : 'scatter'}
      data-spread={spreadOf(values, dim).toPrecision(4)}
    >
      <canvas ref={canvas} style={images ? undefined : { width: TILE, height: TILE }} />
      <figcaption>step {preview.step}</figcaption>
    </figure>
  );
});

export function SamplePreviews({ previews }: { previews: readonly SamplePreview[] }) {
  const latest = previews.at(-1);
  // One view for every tile, fitted to the newest samples: the ones nearest the data.
  const bounds = useMemo(() => {
    if (!latest || cloudImageLayout(latest.points)) return undefined;
    const found = robustBounds(latest.points.values, latest.points.dim);
    return found && padBounds(found, 0.15);
  }, [latest]);
  if (previews.length === 0) {
    return <p className="muted">Samples of the model appear here as it trains.</p>;
  }
  return (
    <div className="sample-previews" data-testid="sample-previews">
      {previews.map((preview) => (
        <SampleTile key={preview.step} preview={preview} bounds={bounds} />
      ))}
    </div>
  );
}
