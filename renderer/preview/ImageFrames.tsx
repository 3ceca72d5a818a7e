// Image trajectories in the dock: the particles x̃ at the shown step beside the x̂₀ the denoiser
// predicted for them, each as a grid drawn pixel for pixel at the largest whole-number zoom the
// dock has room for (never smoothed, so 28 × 28 tiles stay legible). Both grids share one layout,
// so a particle sits at the same place in each.
import { useMemo, useRef } from 'react';
import type { TrajectoryFrame } from '../run/run-store';
import { cloudImageLayout, fitGrid } from './image-tiles';
import { TileGrid } from './TileGrid';
import { useBoxSize } from './use-box-size';

/**
 * Room the grids cannot use, in CSS pixels (preview.css): the gap between them, and under each its
 * caption (18 px line + 6 px gap) and its box's border.
 */
const GAP = 12;
const CAPTION = 24;
const BORDER = 2;

export function ImageFrames({
  frame,
  bridge = false,
}: {
  frame: TrajectoryFrame | undefined;
  /** A Schrödinger bridge's frame: x_t beside its predicted endpoint E[X₁ | X_t]. */
  bridge?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  const box = useBoxSize(container);
  const ratio = window.devicePixelRatio || 1;
  const points = frame?.points;
  const count = points?.count ?? 0;
  const { channels, width, height } = cloudImageLayout(points) ?? {
    channels: 1,
    width: 0,
    height: 0,
  };
  // One fit for both grids, in device pixels. Kept while nothing it depends on changes, so the
  // canvases repaint only when the frame does.
  const fit = useMemo(
    () =>
      width > 0 && box.width > 0
        ? fitGrid(
            count,
            { channels, width, height },
            {
              width: Math.floor(((box.width - GAP) / 2 - BORDER) * ratio),
              height: Math.floor((box.height - CAPTION - BORDER) * ratio),
            },
          )
        : undefined,
    [count, channels, width, height, box.width, box.height, ratio],
  );
  // The step and σ̃ are in the dock's caption and the timeline; these say which grid is which.
  const data = {
    'data-step': frame?.step ?? '',
    'data-sigma': frame?.sigmaTilde ?? '',
    'data-t': frame?.t ?? '',
  };
  const panels = [
    {
      cloud: points,
      testId: 'image-frame-x',
      caption: bridge ? 'x_t, the paths at t' : 'x̃, the particles',
    },
    {
      cloud: frame?.x0hat,
      testId: 'image-frame-x0hat',
      caption: bridge
        ? 'E[X₁ | X_t], the predicted endpoint'
        : frame?.x0hat
          ? 'x̂₀, the denoiser’s prediction'
          : 'x̂₀: none at the first step (no denoiser call yet)',
    },
  ];
  return (
    <div className="image-frames" ref={container} data-testid="image-frames">
      {panels.map((panel) => (
        <figure className="image-tiles" key={panel.testId}>
          <div className="image-tiles-box">
            <TileGrid cloud={panel.cloud} fit={fit} testId={panel.testId} data={data} />
          </div>
          <figcaption>{panel.caption}</figcaption>
        </figure>
      ))}
    </div>
  );
}
