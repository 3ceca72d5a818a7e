// Starts, cancels and configures engine runs on behalf of the UI: Run, Run selected branch,
// Cancel, and auto-run, which re-runs after every edit.
import { catalogue, compileGraph, GraphError, type GraphDocument } from '../../graph-nodes';
import { useEditorStore } from '../editor/editor-store';
import { Comlink, engineClient } from '../engine/engine-client';
import type { BackendName, ExactDenoiserPlacement, UiEngineEvent } from '../engine/engine-protocol';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { readDocumentFile } from '../files/document-files';
import { errorMessage } from '../platform/error-message';
import { startHistoryRecord } from '../history/record-run';
import { runStore, useRunStore } from './run-store';

let backendReady: Promise<unknown> = Promise.resolve();
let exactDenoisers: ExactDenoiserPlacement = 'auto';

/** Where exact denoisers compute from now on (?exact=…); applies from the next chooseBackend. */
export function placeExactDenoisers(placement: ExactDenoiserPlacement): void {
  exactDenoisers = placement;
}

export function chooseBackend(preferred?: BackendName): Promise<unknown> {
  runStore.setBackend({ phase: 'starting' });
  backendReady = engineClient()
    .selectBackend(preferred, exactDenoisers)
    .then(
      (report) => runStore.setBackend({ phase: 'ready', report }),
      (error: unknown) => runStore.setBackend({ phase: 'failed', message: errorMessage(error) }),
    );
  return backendReady;
}

/** Runs the document; with `targets`, only those nodes and what they need. */
export async function runGraph(
  document: GraphDocument,
  targets?: readonly string[],
): Promise<void> {
  if (useRunStore.getState().phase === 'running') return;
  // Marks for the live bench (performance.getEntriesByName): where a re-run's time goes.
  performance.mark('principia:run-begin');
  runStore.begin();
  const recordInHistory = startHistoryRecord(document);
  // A run of a document that has since been replaced (opened another) must not report into it.
  const loadsAtStart = useGraphStore.getState().loads;
  const stale = () => useGraphStore.getState().loads !== loadsAtStart;
  await backendReady;
  const events = eventBatcher();
  try {
    const result = await engineClient().run(
      serializeDocument(document),
      Comlink.proxy(events.add),
      Comlink.proxy(readDocumentFile),
      targets ? [...targets] : undefined,
    );
    performance.mark('principia:run-result');
    // Events travel on their own port and may trail the result: wait for the last one.
    await events.ended;
    if (stale()) return;
    events.flush();
    runStore.finish(
      result.summary,
      result.samples,
      result.portFacts,
      result.nodePreviews,
      result.metrics,
    );
    recordInHistory();
  } catch (error) {
    if (stale()) return;
    events.flush();
    runStore.fail(errorMessage(error));
  } finally {
    events.close();
    if (stale()) {
      useRunStore.setState({ phase: 'idle' });
      runStore.clear();
    }
    // An edit made during the run starts the next one at once: it has waited long enough.
    if (autoRunPending && useRunStore.getState().autoRun) {
      autoRunPending = false;
      void runGraph(useGraphStore.getState().document);
    }
  }
}

// Opening another document cancels its predecessor's run, drops the engine's cache and clears
// what runs left on screen: the next run computes (and shows) everything afresh.
useGraphStore.subscribe((state, previous) => {
  if (state.loads === previous.loads) return;
  void engineClient().forget();
  runStore.clear();
});

/** How often streamed events reach the screen: often enough to watch, rarely enough to be cheap. */
const STREAM_INTERVAL_MS = 50;

/**
 * Gathers engine events and folds them into the store every STREAM_INTERVAL_MS: a run sends a
 * few events per solver step, and redrawing for each would starve the edits that start re-runs.
 */
function eventBatcher(): {
  add(event: UiEngineEvent): void;
  flush(): void;
  close(): void;
  /** Settles when the run's last event (run-done) has arrived. */
  ended: Promise<void>;
} {
  let queue: UiEngineEvent[] = [];
  let timer = 0;
  let closed = false;
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = 0;
    const batch = queue;
    queue = [];
    runStore.apply(...batch);
  };
  return {
    add(event) {
      if (closed) return;
      queue.push(event);
      timer ||= window.setTimeout(flush, STREAM_INTERVAL_MS);
      if (event.type === 'run-done') end();
    },
    flush,
    ended,
    close() {
      closed = true;
      flush();
    },
  };
}

/** Runs the selected nodes and what they need; the whole graph when nothing is selected. */
export function runSelectedBranch(): Promise<void> {
  const selected = useEditorStore.getState().selection.nodes;
  const document = useGraphStore.getState().document;
  return runGraph(document, selected.length > 0 ? selected : undefined);
}

export function cancelRun(): void {
  autoRunPending = false;
  void engineClient().cancel();
}

// Auto-run: edits are gathered until the next animation frame and then run together; an edit
// during a run is run as soon as that run ends. Unchanged nodes come from the executor's cache,
// so a slider drag re-runs only the node it moves and what lies downstream of it.
let autoRunFrame = 0;
let autoRunPending = false;
let unsubscribeAutoRun: (() => void) | undefined;

function scheduleAutoRun(): void {
  if (autoRunFrame || !useRunStore.getState().autoRun) return;
  autoRunFrame = requestAnimationFrame(() => {
    autoRunFrame = 0;
    if (!useRunStore.getState().autoRun) return;
    const document = useGraphStore.getState().document;
    // A graph still being wired is not run (nor reported as failed) until its inputs are all
    // connected; any other problem runs, and fails, as Run would.
    const unconnected = unconnectedInputs(document);
    runStore.setUnconnected(unconnected);
    if (unconnected) return;
    if (useRunStore.getState().phase === 'running') autoRunPending = true;
    else void runGraph(document);
  });
}

/** The required inputs not yet connected, when that is all that keeps the graph from compiling. */
export function unconnectedInputs(
  document: GraphDocument,
): { nodeId: string; port: string }[] | undefined {
  try {
    compileGraph(document, catalogue);
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphError)) return undefined;
    const { issues } = error;
    if (issues.length === 0 || !issues.every((issue) => issue.code === 'missing-input'))
      return undefined;
    return issues.map((issue) => ({ nodeId: issue.nodeId ?? '', port: issue.port ?? '' }));
  }
}

export function setAutoRun(on: boolean): void {
  runStore.setAutoRun(on);
  unsubscribeAutoRun?.();
  unsubscribeAutoRun = undefined;
  if (!on) {
    autoRunPending = false;
    runStore.setUnconnected(undefined);
    return;
  }
  unsubscribeAutoRun = useGraphStore.subscribe((state, previous) => {
    if (!sameComputation(state.document, previous.document)) scheduleAutoRun();
  });
  scheduleAutoRun();
}

/** Whether two documents compute the same thing (moving nodes or editing notes changes nothing). */
function sameComputation(a: GraphDocument, b: GraphDocument): boolean {
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  // Edits replace only what they touch, so unchanged params keep their identity.
  return a.nodes.every((node, index) => {
    const other = b.nodes[index];
    return (
      other !== undefined &&
      node.id === other.id &&
      node.type === other.type &&
      node.typeVersion === other.typeVersion &&
      node.params === other.params
    );
  });
}
