// One grid of image-shaped points on a canvas, drawn pixel for pixel at the fit's whole-number
// zoom (in device pixels) and shown at that size, so nothing is smoothed. Its data attributes say
// what it shows, for tests and for anyone inspecting the page.
import { useEffect, useRef, useState } from 'react';
import type { PointCloud } from '../engine/engine-protocol';
import { cloudImageLayout, paintTiles, tileImages, type GridFit } from './image-tiles';
import './tile-grid.css';

interface TileGridProps {
  readonly cloud: PointCloud | undefined;
  /** Layout in device pixels; undefined until the room for it is known. */
  readonly fit: GridFit | undefined;
  readonly testId: string;
  /** Further data attributes (step, σ̃, …). */
  readonly data?: Readonly<Record<`data-${string}`, string | number>>;
}

export function TileGrid({ cloud, fit, testId, data }: TileGridProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const ratio = window.devicePixelRatio || 1;
  const [cssSize, setCssSize] = useState<{ width: number; height: number }>();
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const tiles = cloud && fit ? tileImages(cloud, fit) : undefined;
    if (!tiles) {
      element.width = 1;
      element.height = 1;
      setCssSize(undefined);
      return;
    }
    paintTiles(element, tiles);
    setCssSize({ width: tiles.width / ratio, height: tiles.height / ratio });
  }, [cloud, fit, ratio]);
  const layout = cloudImageLayout(cloud);
  return (
    <canvas
      ref={canvas}
      className="tile-grid"
      data-testid={testId}
      data-count={cloud?.count ?? 0}
      data-shape={cloud ? cloud.shape.join(',') : ''}
      data-channels={layout?.channels ?? ''}
      data-columns={fit?.columns ?? ''}
      data-zoom={fit ? fit.zoom / ratio : ''}
      {...data}
      style={cssSize ?? { visibility: 'hidden' }}
    />
  );
}
