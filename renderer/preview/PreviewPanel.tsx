// The dock's Preview tab. A trajectory: a solver's particles at the chosen step over the data,
// with trails, x̂₀ and density contours, or (for image-shaped points) a grid of its particles
// beside their x̂₀; a timeline to scrub and play the steps; and exports of what is shown. Frames
// stream in while the run goes. A Schrödinger bridge's trajectory scrubs the same way, in t from
// 0 to 1, with x̂₀ its predicted endpoints. A coupling (an OT plan) shows as CouplingView draws
// it. Selecting a node that makes either on the canvas shows it here.
import { formatDuration } from '../chrome/format-duration';
import { useEffect, useMemo, type ReactNode } from 'react';
import { catalogue } from '../../graph-nodes';
import { useEditorStore } from '../editor/editor-store';
import type { CouplingPreview } from '../engine/engine-protocol';
import { useGraphStore } from '../graph/graph-store';
import { useRunStore, type TrajectoryFrame, type TrajectoryRecord } from '../run/run-store';
import { ExportButtons } from '../exports/ExportButtons';
import { describeChanges, entrySteps, entryTooltip, formatClock } from '../history/history-format';
import { historyState, useShownEntry, type RunHistoryEntry } from '../history/history-store';
import { RunHistoryStrip } from '../history/RunHistoryStrip';
import { ImageFrames } from './ImageFrames';
import { formatShape } from '../../graph-nodes/core/shapes';
import { CouplingPanel } from './CouplingView';
import { formatLevel } from './frame-stats';
import { cloudImageLayout } from './image-tiles';
import { LayerToggles } from './LayerToggles';
import { dataBounds, useBackdrop } from './backdrop';
import { padBounds, robustBounds, type DataBounds } from './plot-view';
import { previewState, usePreviewStore } from './preview-store';
import { bridgeCoupling, bridgeScene, shownTrajectory, type PreviewScene } from './preview-scene';
import { COLOURS } from './scene-drawing';
import { stepBy, Timeline } from './Timeline';
import { TrajectoryPlot } from './TrajectoryPlot';
import { fieldSigmaOf, fieldSourceOf, type FieldSource } from './score-field';
import './preview.css';

const FALLBACK_BOUNDS: DataBounds = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };

/** What the dock shows: a trajectory (maybe none yet) or a coupling. */
type Shown =
  | { readonly kind: 'trajectory'; readonly record: TrajectoryRecord | undefined }
  | { readonly kind: 'coupling'; readonly nodeId: string; readonly preview: CouplingPreview };

/**
 * The node chosen (in the dock's menu or by selecting it) when it has a coupling or a trajectory;
 * else the trajectory that streamed last; else the first coupling the run made.
 */
function useShown(): Shown {
  const chosen = usePreviewStore((state) => state.nodeId);
  const liveNodeId = useRunStore((state) => state.liveNodeId);
  const trajectories = useRunStore((state) => state.trajectories);
  const nodePreviews = useRunStore((state) => state.nodePreviews);
  const chosenPreview = chosen ? nodePreviews[chosen] : undefined;
  if (chosen && chosenPreview?.kind === 'coupling') {
    return { kind: 'coupling', nodeId: chosen, preview: chosenPreview };
  }
  const record = shownTrajectory(chosen, liveNodeId, trajectories);
  if (record) return { kind: 'trajectory', record };
  for (const [nodeId, preview] of Object.entries(nodePreviews)) {
    if (preview.kind === 'coupling') return { kind: 'coupling', nodeId, preview };
  }
  return { kind: 'trajectory', record: undefined };
}

/** Whether a node type makes something the dock shows (a coupling or a trajectory). */
function showsInDock(type: string): boolean {
  const outputs = Object.values(catalogue.get(type)?.outputs ?? {});
  return outputs.some((output) => output.type === 'coupling' || output.type === 'trajectory');
}

/** Selecting one node that makes a coupling or a trajectory shows it in the dock. */
function useShowSelected(): void {
  useEffect(
    () =>
      useEditorStore.subscribe((state, previous) => {
        if (state.selection === previous.selection || state.selection.nodes.length !== 1) return;
        const id = state.selection.nodes[0]!;
        const node = useGraphStore.getState().document.nodes.find((entry) => entry.id === id);
        if (node && showsInDock(node.type) && usePreviewStore.getState().nodeId !== id) {
          previewState.showNode(id);
        }
      }),
    [],
  );
}

/** The menu of everything the dock can show, when there is more than one thing. */
function ShownChooser({ shownId }: { shownId: string | undefined }) {
  const trajectories = useRunStore((state) => state.trajectories);
  const nodePreviews = useRunStore((state) => state.nodePreviews);
  const ids = [
    ...Object.keys(trajectories),
    ...Object.entries(nodePreviews)
      .filter(([, preview]) => preview.kind === 'coupling')
      .map(([id]) => id),
  ];
  if (ids.length < 2) return null;
  return (
    <select
      aria-label="Node shown"
      data-testid="preview-node"
      value={shownId}
      onChange={(event) => previewState.showNode(event.target.value)}
    >
      {ids.map((id) => (
        <option key={id} value={id}>
          {id}
          {trajectories[id] ? '' : ' (coupling)'}
        </option>
      ))}
    </select>
  );
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
function imagesShown(frame: TrajectoryFrame, bridge: boolean): string {
  const { count, shape } = frame.points;
  const of = count < frame.totalCount ? `${count} of ${frame.totalCount}` : `${count}`;
  return `${of} images ${formatShape(shape)}, ${bridge ? 'x_t beside its predicted endpoint' : 'x̃ beside x̂₀'}`;
}

/** What the latest run's trajectory is drawn over: a bridge's coupling target, else the data. */
function useLiveScene(record: TrajectoryRecord | undefined): PreviewScene {
  const edges = useGraphStore((state) => state.document.edges);
  const nodePreviews = useRunStore((state) => state.nodePreviews);
  const coupling = bridgeCoupling(record, edges, nodePreviews);
  const graphBackdrop = useBackdrop();
  return useMemo(
    () => (coupling ? bridgeScene(coupling) : { backdrop: graphBackdrop }),
    [coupling, graphBackdrop],
  );
}

/** Where the shown frames come from: the latest run (maybe still going) or an older one. */
interface TrajectorySource {
  readonly record: TrajectoryRecord | undefined;
  readonly scene: PreviewScene;
  /** Frames are still arriving. */
  readonly live: boolean;
  /** Steps the solver takes (the timeline's length). */
  readonly steps: number;
  /** Why the frames shown are not the last run's, if they are not. */
  readonly notice?: string;
  /** Where the score view's D comes from (the latest run's only: the worker holds its denoiser). */
  readonly fieldSource?: FieldSource;
}

/** The trajectory, its caption, timeline and layers, from either source. */
function TrajectoryView({
  source,
  chooser,
  exports,
  banner,
  shownRun,
}: {
  source: TrajectorySource;
  chooser?: ReactNode;
  /** The export buttons for the frame shown (the latest run's only). */
  exports?: (view: { index: number; bounds: DataBounds; complete: boolean }) => ReactNode;
  banner?: ReactNode;
  /** data-shown-run: "latest", or the history entry's run number. */
  shownRun: string;
}) {
  const { record, scene, live, steps, notice, fieldSource } = source;
  const fieldSettings = usePreviewStore((state) => state.field);
  const pinnedStep = usePreviewStore((state) => state.step);
  const layers = usePreviewStore((state) => state.layers);
  const zoom = usePreviewStore((state) => state.zoom);
  const bridge = record?.kind === 'bridge';
  const { backdrop } = scene;

  const frames = record?.frames ?? [];
  const following = pinnedStep === undefined || pinnedStep >= frames.length;
  const index = following ? frames.length - 1 : pinnedStep;
  const frame = frames[index];
  const complete = !live && frames.length > 0 && frames.length - 1 >= steps;
  const isImage = cloudImageLayout(frame?.points) !== undefined;
  useArrowKeys(frames.length, index);

  // The score view: 2-D solver trajectories whose denoiser the last run made.
  const fieldShown = fieldSource && !bridge && !isImage && frame?.points.dim === 2;
  const fieldKind =
    fieldSettings.kind === 'difference' && !fieldSource?.exact ? 'score' : fieldSettings.kind;
  const fieldSigma = fieldSigmaOf(
    frames.map((entry) => entry.sigmaTilde),
    index,
  );
  const fieldRequest =
    fieldShown && fieldSettings.on && fieldSigma !== undefined
      ? { source: fieldSource, kind: fieldKind, sigma: fieldSigma }
      : undefined;

  const fixedBounds = useMemo(() => scene.bounds ?? dataBounds(backdrop), [scene.bounds, backdrop]);
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
  else if (bridge) {
    const moment =
      complete && index === frames.length - 1
        ? `t = ${formatLevel(frame.t)} · endpoints`
        : `t = ${formatLevel(frame.t)} (step ${frame.step} of ${steps})${live ? ' · running' : ''}`;
    caption =
      `${record.nodeId} · bridge · ${moment} · ` +
      (isImage ? imagesShown(frame, true) : `${frame.totalCount} paths`);
  } else {
    const moment =
      complete && index === frames.length - 1
        ? 'final samples'
        : `step ${frame.step} of ${steps}${live ? ' · running' : ''}`;
    caption = `${record.nodeId} · ${moment} · ${isImage ? imagesShown(frame, false) : `${frame.totalCount} points`}`;
  }

  return (
    <section
      className={`preview${banner ? ' history-run' : ''}`}
      aria-label="Trajectory preview"
      data-testid="trajectory-dock"
      data-kind={bridge ? 'bridge' : 'solver'}
      data-shown-run={shownRun}
    >
      <header>
        <h2>{bridge ? 'Bridge' : 'Trajectory'}</h2>
        {chooser}
        <span className="caption" data-testid="preview-caption">
          {caption}
        </span>
        <span className="spacer" />
        {exports?.({ index, bounds, complete })}
      </header>
      {banner}
      {notice && (
        <p className="preview-notice" role="status" data-testid="preview-notice">
          {notice}
          {frames.length > 0 && ' · showing the frames of an earlier run'}
        </p>
      )}
      {isImage ? (
        <ImageFrames frame={frame} bridge={bridge} />
      ) : (
        <TrajectoryPlot
          bounds={bounds}
          backdrop={backdrop}
          frames={frames}
          index={index}
          layers={layers}
          particleColour={complete && index === frames.length - 1 ? COLOURS.final : COLOURS.live}
          {...(record ? { run: record.run } : {})}
          {...(fieldRequest ? { field: fieldRequest } : {})}
        />
      )}
      <Timeline frames={frames} index={index} steps={steps} following={following} bridge={bridge} />
      {!isImage && (
        <LayerToggles
          backdrop={backdrop}
          bridge={bridge}
          {...(fieldShown ? { field: { hasExact: fieldSource.exact !== undefined } } : {})}
        />
      )}
    </section>
  );
}

/** The latest run's trajectory, streaming while it runs, with the node menu and the exports. */
function LiveTrajectoryPanel({
  record,
  chooser,
}: {
  record: TrajectoryRecord | undefined;
  chooser: ReactNode;
}) {
  const phase = useRunStore((state) => state.phase);
  const nodeState = useRunStore((state) => (record ? state.nodes[record.nodeId] : undefined));
  const scene = useLiveScene(record);
  const document = useGraphStore((state) => state.document);
  const fieldSource = useMemo(
    () => (record && record.kind !== 'bridge' ? fieldSourceOf(document, record.nodeId) : undefined),
    [document, record],
  );
  const frames = record?.frames ?? [];
  const steps = nodeState?.steps ?? record?.steps ?? Math.max(0, frames.length - 1);
  // A node that failed or was skipped in the last run keeps its older frames on screen: say so.
  const outcome =
    nodeState?.phase === 'failed' || nodeState?.phase === 'skipped' ? nodeState : undefined;
  const notice = outcome
    ? outcome.phase === 'failed'
      ? `${record?.nodeId} failed in the last run${outcome.message ? `: ${outcome.message}` : ''}`
      : `${record?.nodeId} did not run: a node it needs failed`
    : undefined;
  const source: TrajectorySource = {
    record,
    scene,
    live: phase === 'running' && nodeState?.phase === 'running',
    steps,
    ...(notice ? { notice } : {}),
    ...(fieldSource ? { fieldSource } : {}),
  };
  return (
    <TrajectoryView
      source={source}
      shownRun="latest"
      chooser={chooser}
      exports={({ index, bounds, complete }) => (
        <ExportButtons
          record={record}
          index={index}
          bounds={bounds}
          backdrop={scene.backdrop}
          complete={complete}
        />
      )}
    />
  );
}

/**
 * An older run from the history, scrubbable as the latest, under a banner that says which run it
 * is with the way back. No exports: the PNG would carry the open graph and the .npy the engine's
 * last run, neither of them this run's.
 */
function HistoryTrajectoryPanel({ entry }: { entry: RunHistoryEntry }) {
  const { trajectory } = entry;
  const source: TrajectorySource = {
    record: trajectory,
    scene: entry.scene,
    live: false,
    steps: trajectory.steps ?? entrySteps(entry),
  };
  const otherDocument = useGraphStore((state) => state.loads !== entry.documentLoad);
  const banner = (
    <div className="history-banner" role="status" data-testid="history-banner">
      <span title={entryTooltip(entry)}>
        Older run #{entry.id}
        {otherDocument && ` of ${entry.documentTitle}`} · {formatClock(entry.finishedAt)} ·{' '}
        {formatDuration(entry.ms)} · {describeChanges(entry).join(', ')}
      </span>
      <button
        type="button"
        data-testid="history-back-to-latest"
        title="Show the latest run again"
        onClick={() => historyState.showLatest()}
      >
        Back to latest
      </button>
    </div>
  );
  return (
    <TrajectoryView
      source={source}
      shownRun={String(entry.id)}

      banner={banner}
    />
  );
}

/** The shown trajectory or coupling of the latest run, or an older run from the history. */
function ShownPanel() {
  useShowSelected();
  const shown = useShown();
  const previewRuns = useRunStore((state) => state.previewRuns);
  const entry = useShownEntry();
  const shownId = shown.kind === 'coupling' ? shown.nodeId : shown.record?.nodeId;
  const chooser = <ShownChooser shownId={shownId} />;
  if (entry) return <HistoryTrajectoryPanel entry={entry} />;
  if (shown.kind === 'coupling') {
    return (
      <CouplingPanel
        nodeId={shown.nodeId}
        preview={shown.preview}
        run={previewRuns[shown.nodeId] ?? 0}
        chooser={chooser}
      />
    );
  }
  return <LiveTrajectoryPanel record={shown.record} chooser={chooser} />;
}

export function PreviewPanel() {
  return (
    <>
      <ShownPanel />
      <RunHistoryStrip />
    </>
  );
}
