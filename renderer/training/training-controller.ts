// Starts and cancels training in the engine worker. Weights are written where the node's weights
// param points, relative to the graph (see document-files.ts); a run after training uses them.
import { Comlink, engineClient } from '../engine/engine-client';
import { readDocumentFile, writeDocumentFile } from '../files/document-files';
import { errorMessage } from '../platform/error-message';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { useRunStore } from '../run/run-store';
import { trainingStore, useTrainingStore } from './training-store';

export async function startTraining(nodeId: string): Promise<void> {
  if (useTrainingStore.getState().phase === 'training') return;
  if (useRunStore.getState().phase === 'running') {
    trainingStore.fail('a run is in progress; wait for it or cancel it, then train', false);
    return;
  }
  trainingStore.begin(nodeId);
  const writeFile = async (path: string, bytes: Uint8Array) => {
    trainingStore.wrote(await writeDocumentFile(path, bytes));
  };
  try {
    const report = await engineClient().train(
      serializeDocument(useGraphStore.getState().document),
      nodeId,
      Comlink.proxy(trainingStore.report),
      Comlink.proxy(readDocumentFile),
      Comlink.proxy(writeFile),
    );
    trainingStore.finish(report.ms);
  } catch (error) {
    const message = errorMessage(error);
    trainingStore.fail(message, /cancel/iu.test(message));
  }
}

export function cancelTraining(): void {
  void engineClient().cancel();
}
