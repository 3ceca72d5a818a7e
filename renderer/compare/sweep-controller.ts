// Starts and cancels the app's sweeps: the same runSweep as `principia sweep`, in the engine
// worker, on the worker's Executor (so a sweep reuses what the last run computed).
import type { GraphDocument, SweepAxis } from '../../graph-nodes';
import { Comlink, engineClient } from '../engine/engine-client';
import { serializeDocument } from '../graph/graph-store';
import { readDocumentFile } from '../files/document-files';
import { errorMessage } from '../platform/error-message';
import { useRunStore } from '../run/run-store';
import { sweepStore, useSweepStore } from './sweep-store';

export async function runSweepInApp(
  document: GraphDocument,
  axes: readonly SweepAxis[],
): Promise<void> {
  if (useSweepStore.getState().phase === 'running') return;
  if (useRunStore.getState().phase === 'running') {
    sweepStore.fail('a run is in progress; wait for it or cancel it, then sweep');
    return;
  }
  sweepStore.begin(axes);
  try {
    const result = await engineClient().sweep(
      serializeDocument(document),
      axes,
      Comlink.proxy((point, _index, total) => sweepStore.addPoint(point, total)),
      Comlink.proxy(readDocumentFile),
    );
    sweepStore.finish(result);
  } catch (error) {
    sweepStore.fail(errorMessage(error));
  }
}

export function cancelSweep(): void {
  void engineClient().cancel();
}
