// The runs of this session, newest first, and which one the dock shows. Each entry keeps what the
// dock needs to show the run again (its trajectory, thinned to a budget; what was drawn behind
// it) and the document it ran, to say what changed since the run before. It outlives opening
// another document, as a queue history does: each entry carries its document's title.
import { create } from 'zustand';
import type { GraphDocument } from '../../graph-nodes';
import type { PreviewScene } from '../preview/preview-scene';
import { previewState } from '../preview/preview-store';
import type { TrajectoryRecord } from '../run/run-store';
import { diffGraphs, type GraphChange } from './graph-diff';
import type { KeptSize } from './trajectory-snapshot';

/** Runs the strip keeps; the oldest goes when a new one comes. */
export const HISTORY_LIMIT = 20;

/** A run that finished, as the run controller reports it. */
export interface FinishedRun {
  /** The run's number in the run store. */
  readonly id: number;
  readonly finishedAt: number;
  readonly ms: number;
  readonly document: GraphDocument;
  /** Which opened document it ran (the graph store's `loads`): diffs stay within one. */
  readonly documentLoad: number;
  readonly documentTitle: string;
  /**
   * The undo step of the gesture that made the document (a slider drag), if one did. The graph
   * store merges a drag's edits into one undo step; the history merges its runs into one entry.
   */
  readonly gesture?: string;
  readonly trajectory: TrajectoryRecord;
  readonly kept: KeptSize;
  readonly scene: PreviewScene;
}

export interface RunHistoryEntry extends FinishedRun {
  /**
   * What changed since the entry before; undefined for the first run of a document (nothing of
   * it ran before to compare with).
   */
  readonly changes: readonly GraphChange[] | undefined;
  /** Runs this entry stands for: auto-runs during one slider drag merge into one entry. */
  readonly runs: number;
}

/**
 * `entries` with `run` added at the front, at most HISTORY_LIMIT of them. A run from the same
 * gesture as the newest entry (auto-run re-runs many times a second while a slider moves)
 * replaces it, its changes measured from the entry before the gesture; so a drag from 20 to 40
 * leaves one entry, "steps 20 → 40", rather than one per tick. Runs made by separate edits, and
 * re-runs of an unchanged document, each get their own.
 */
export function withRun(
  entries: readonly RunHistoryEntry[],
  run: FinishedRun,
): readonly RunHistoryEntry[] {
  const newest = entries[0];
  const sameGesture =
    newest !== undefined &&
    run.gesture !== undefined &&
    newest.gesture === run.gesture &&
    newest.document !== run.document;
  const older = sameGesture ? entries.slice(1) : entries;
  const base = older[0];
  const changes =
    base && base.documentLoad === run.documentLoad
      ? diffGraphs(base.document, run.document)
      : undefined;
  const entry: RunHistoryEntry = { ...run, changes, runs: sameGesture ? newest.runs + 1 : 1 };
  return [entry, ...older].slice(0, HISTORY_LIMIT);
}

interface HistoryState {
  readonly entries: readonly RunHistoryEntry[];
  /** The entry the dock shows instead of the latest run; undefined: the latest run, live. */
  readonly shownId?: number;
}

export const useHistoryStore = create<HistoryState>()(() => ({ entries: [] }));

/** A step pinned in one run means nothing in another: show the newest frame, not playing. */
function fromTheEnd(): void {
  previewState.setPlaying(false);
  previewState.showStep(undefined);
}

export const historyState = {
  record(run: FinishedRun): void {
    useHistoryStore.setState((state) => ({ entries: withRun(state.entries, run) }));
  },
  /** Shows an older run in the dock, from its final frame. */
  show(id: number): void {
    if (useHistoryStore.getState().shownId === id) return;
    useHistoryStore.setState({ shownId: id });
    fromTheEnd();
  },
  /** Back to the latest run (a new run, opening a document, or the user's choice). */
  showLatest(): void {
    if (useHistoryStore.getState().shownId === undefined) return;
    useHistoryStore.setState({ shownId: undefined });
    fromTheEnd();
  },
};

/** The entry the dock shows, if it shows one from the history. */
export function useShownEntry(): RunHistoryEntry | undefined {
  return useHistoryStore((state) =>
    state.shownId === undefined
      ? undefined
      : state.entries.find((entry) => entry.id === state.shownId),
  );
}
