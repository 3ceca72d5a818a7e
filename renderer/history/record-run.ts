// Puts finished runs into the run history: the run controller notes what a run starts from, and
// once it has finished the trajectory the dock showed is kept, thinned, with the scene behind it.
import type { GraphDocument } from '../../graph-nodes';
import { useGraphStore } from '../graph/graph-store';
import { previewScene, shownTrajectory } from '../preview/preview-scene';
import { usePreviewStore } from '../preview/preview-store';
import { useRunStore } from '../run/run-store';
import { historyState } from './history-store';
import { snapshotTrajectory } from './trajectory-snapshot';

/**
 * The undo step that made `document` when it was a gesture (edits merged under a group key: a
 * slider drag), named so that two runs of one gesture get the same name.
 */
function gestureOf(document: GraphDocument): string | undefined {
  const { document: current, history, loads } = useGraphStore.getState();
  if (current !== document) return undefined;
  const group = history.entries[history.index - 1]?.group;
  return group === undefined ? undefined : `${loads}:${history.index}:${group}`;
}

/**
 * Notes what a run starts from and returns what records it once it has finished. Runs that
 * failed or were cancelled are not recorded, nor runs without a trajectory (a coupling alone):
 * the history is of trajectories to look at again. A run starting brings the dock back from an
 * older run to the latest.
 */
export function startHistoryRecord(document: GraphDocument): () => void {
  historyState.showLatest();
  const { loads } = useGraphStore.getState();
  const gesture = gestureOf(document);
  return () => {
    const run = useRunStore.getState();
    if (run.phase !== 'done') return;
    const chosen = usePreviewStore.getState().nodeId;
    const record = shownTrajectory(chosen, run.liveNodeId, run.trajectories);
    if (!record || record.frames.length === 0) return;
    const { record: trajectory, kept } = snapshotTrajectory(record);
    historyState.record({
      id: run.runCount,
      finishedAt: Date.now(),
      ms: run.totalMs ?? 0,
      document,
      documentLoad: loads,
      documentTitle: document.title ?? 'Untitled graph',
      ...(gesture ? { gesture } : {}),
      trajectory,
      kept,
      scene: previewScene(record, document, run.nodePreviews),
    });
  };
}

// Opening another document clears the dock; an older run shown there gives way to the new one.
useGraphStore.subscribe((state, previous) => {
  if (state.loads !== previous.loads) historyState.showLatest();
});
