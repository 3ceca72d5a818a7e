// Image trajectories: the first samples at the shown step beside the x̂₀ the model predicted for
// them, each as a grid drawn pixel for pixel and scaled up without smoothing.
import { useEffect, useRef } from 'react';
import type { PointCloud } from '../engine/engine-protocol';
import type { TrajectoryFrame } from '../run/run-store';
import { tileImages } from './image-tiles';

function TileCanvas({
  cloud,
  label,
  testId,
}: {
  cloud?: PointCloud;
  label: string;
  testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const tiles = cloud && tileImages(cloud);
    if (!element) return;
    if (!tiles) {
      element.width = 1;
      element.height = 1;
      return;
    }
    element.width = tiles.width;
    element.height = tiles.height;
    const data = new ImageData(tiles.width, tiles.height);
    data.data.set(tiles.rgba);
    element.getContext('2d')?.putImageData(data, 0, 0);
  }, [cloud]);
  return (
    <figure className="image-tiles">
      <canvas ref={canvas} data-testid={testId} data-count={cloud?.count ?? 0} />
      <figcaption>{cloud ? label : `${label}: none at the first step`}</figcaption>
    </figure>
  );
}

export function ImageFrames({ frame }: { frame: TrajectoryFrame | undefined }) {
  return (
    <div className="image-frames">
      <TileCanvas cloud={frame?.points} label="x̃ at this step" testId="image-frame-x" />
      <TileCanvas cloud={frame?.x0hat} label="x̂₀ predicted" testId="image-frame-x0hat" />
    </div>
  );
}
