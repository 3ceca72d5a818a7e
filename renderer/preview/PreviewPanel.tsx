// The trajectory dock: a solver's particles at the chosen step over the data, with trails, x̂₀ and
// density contours, or (for image-shaped points) a grid of its particles beside their x̂₀; a
// timeline to scrub and play the steps; and exports of what is shown. Frames stream in while the
// run goes.
import { useEffect, useMemo } from 'react';
import { useRunStore, type TrajectoryFrame, type TrajectoryRecord } from '../run/run-store';
import { ExportButtons } from '../exports/ExportButtons';
import { ImageFrames } from './ImageFrames';
import { formatShape } from '../../graph-nodes/core/shapes';
import { cloudImageLayout } from './image-tiles';
import { LayerToggles } from './LayerToggles';
import { dataBounds, useBackdrop } from './backdrop';
import { padBounds, robustBounds, type DataBounds } from './plot-view';
import { previewState, usePreviewStore } from './preview-store';
import { COLOURS } from './scene-drawing';
import { stepBy, Timeline } from './Timeline';
import { TrajectoryPlot } from './TrajectoryPlot';
import './preview.css';

const FALLBACK_BOUNDS: DataBounds = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };

/** The trajectory the dock shows: the one chosen, else the one that streamed last. */
function useShownTrajectory(): TrajectoryRecord | undefined {
  const chosen = usePreviewStore((state) => state.nodeId);
  const liveNodeId = useRunStore((state) => state.liveNodeId);
  const trajectories = useRunStore((state) => state.trajectories);
  const id = chosen && trajectories[chosen] ? chosen : liveNodeId;
  return (id ? trajectories[id] : undefined) ?? Object.values(trajectories).at(-1);
}

/** ← and → step through the frames when the focus is on the dock or on nothing in particular. */
function useArrowKeys(frameCount: number, index: number): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const active = document.activeElement;
      const inDock = active?.closest('[data-testid="trajectory-dock"]');
      if (active && active !== document.body && !inDock) return;
      if (active instanceof HTMLInputElement || active instanceof HTMLSelectElement) return;
      event.preventDefault();
      stepBy(event.key === 'ArrowLeft' ? -1 : 1, index, frameCount);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [frameCount, index]);
}

/** "16 of 64 images [1, 28, 28], x̃ beside x̂₀": how many of the solver's images the grids show. */
function imagesShown(frame: TrajectoryFrame): string {
  const { count, shape } = frame.points;
  const of = count < frame.totalCount ? `${count} of ${frame.totalCount}` : `${count}`;
  return `${of} images ${formatShape(shape)}, x̃ beside x̂₀`;
}

export function PreviewPanel() {
  const record = useShownTrajectory();
  const trajectories = useRunStore((state) => state.trajectories);
  const phase = useRunStore((state) => state.phase);
  const nodes = useRunStore((state) => state.nodes);
  const pinnedStep = usePreviewStore((state) => state.step);
  const layers = usePreviewStore((state) => state.layers);
  const zoom = usePreviewStore((state) => state.zoom);
  const backdrop = useBackdrop();

  const frames = record?.frames ?? [];
  const following = pinnedStep === undefined || pinnedStep >= frames.length;
  const index = following ? frames.length - 1 : pinnedStep;
  const frame = frames[index];
  const nodeState = record ? nodes[record.nodeId] : undefined;
  const live = phase === 'running' && nodeState?.phase === 'running';
  const steps = nodeState?.steps ?? record?.steps ?? Math.max(0, frames.length - 1);
  const complete = !live && frames.length > 0 && frames.length - 1 >= steps;
  const isImage = cloudImageLayout(frame?.points) !== undefined;
  useArrowKeys(frames.length, index);

  const fixedBounds = useMemo(() => dataBounds(backdrop), [backdrop]);
  const framePoints = frame?.points;
  const bounds = useMemo(() => {
    if (zoom === 'follow' && framePoints) {
      const around = robustBounds(framePoints.values, framePoints.dim);
      if (around) return padBounds(around, 0.1);
    }
    if (fixedBounds) return fixedBounds;
    // Without a target, frame the final samples.
    const final = frames.at(-1)?.points;
    const fromSamples = final && robustBounds(final.values, final.dim);
    return fromSamples ? padBounds(fromSamples, 0.1) : FALLBACK_BOUNDS;
  }, [zoom, framePoints, fixedBounds, frames]);

  let caption: string;
  if (!record || !frame) caption = 'Run the graph to see its trajectory';
  else {
    const moment =
      complete && index === frames.length - 1
        ? 'final samples'
        : `step ${frame.step} of ${steps}${live ? ' · running' : ''}`;
    caption = `${record.nodeId} · ${moment} · ${isImage ? imagesShown(frame) : `${frame.totalCount} points`}`;
  }

  const solverIds = Object.keys(trajectories);
  return (
    <section className="preview" aria-label="Trajectory preview" data-testid="trajectory-dock">
      <header>
        <h2>Trajectory</h2>
        {solverIds.length > 1 && (
          <select
            aria-label="Solver shown"
            value={record?.nodeId}
            onChange={(event) => previewState.showNode(event.target.value)}
          >
            {solverIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        )}
        <span className="caption" data-testid="preview-caption">
          {caption}
        </span>
        <span className="spacer" />
        <ExportButtons
          record={record}
          index={index}
          bounds={bounds}
          backdrop={backdrop}
          complete={complete}
        />
      </header>
      {isImage ? (
        <ImageFrames frame={frame} />
      ) : (
        <TrajectoryPlot
          bounds={bounds}
          backdrop={backdrop}
          frames={frames}
          index={index}
          layers={layers}
          particleColour={complete && index === frames.length - 1 ? COLOURS.final : COLOURS.live}
          {...(record ? { run: record.run } : {})}
        />
      )}
      <Timeline frames={frames} index={index} steps={steps} following={following} />
      {!isImage && <LayerToggles backdrop={backdrop} />}
    </section>
  );
}
