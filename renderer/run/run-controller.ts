// Starts, cancels and configures engine runs on behalf of the UI.
import { formatIssue, GraphError, type GraphDocument } from '../../graph-nodes';
import { Comlink, engineClient } from '../engine/engine-client';
import type { BackendName, UiEngineEvent } from '../engine/engine-protocol';
import { serializeDocument } from '../graph/graph-store';
import { readGraphFile } from '../platform/desktop-api';
import { runStore, useRunStore } from './run-store';

let backendReady: Promise<unknown> = Promise.resolve();

export function chooseBackend(preferred?: BackendName): Promise<unknown> {
  runStore.setBackend({ phase: 'starting' });
  backendReady = engineClient()
    .selectBackend(preferred)
    .then(
      (report) => runStore.setBackend({ phase: 'ready', report }),
      (error: unknown) => runStore.setBackend({ phase: 'failed', message: describeError(error) }),
    );
  return backendReady;
}

export async function runGraph(document: GraphDocument): Promise<void> {
  if (useRunStore.getState().phase === 'running') return;
  runStore.begin();
  await backendReady;
  // Events come through a separate port from the result, so stop folding them in once it lands.
  let settled = false;
  const onEvent = Comlink.proxy((event: UiEngineEvent) => {
    if (!settled) runStore.apply(event);
  });
  try {
    const result = await engineClient().run(
      serializeDocument(document),
      onEvent,
      Comlink.proxy(readGraphFile),
    );
    settled = true;
    runStore.finish(result.summary, result.samples, result.portFacts);
  } catch (error) {
    settled = true;
    runStore.fail(describeError(error));
  }
}

export function cancelRun(): void {
  void engineClient().cancel();
}

function describeError(error: unknown): string {
  if (error instanceof GraphError) return error.issues.map(formatIssue).join('\n');
  return error instanceof Error ? error.message : String(error);
}
