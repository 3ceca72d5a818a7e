// Everything the UI knows about the engine: its backend, the current run, and what it produced.
import { create } from 'zustand';
import type { BackendReport, PointCloud, UiEngineEvent } from '../engine/engine-protocol';
import type { RunSummary } from '../../graph-nodes';

export type BackendState =
  | { readonly phase: 'starting' }
  | { readonly phase: 'ready'; readonly report: BackendReport }
  | { readonly phase: 'failed'; readonly message: string };

export interface NodeRunState {
  readonly phase: 'waiting' | 'running' | 'done' | 'cached' | 'failed' | 'skipped';
  readonly ms?: number;
  readonly nfe?: number;
  readonly step?: number;
  readonly steps?: number;
  readonly message?: string;
}

export type RunPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface LiveFrame {
  readonly nodeId: string;
  readonly step: number;
  readonly sigmaTilde: number;
  readonly points: PointCloud;
}

interface RunState {
  readonly backend: BackendState;
  readonly phase: RunPhase;
  readonly totalMs?: number;
  readonly error?: string;
  readonly nodes: Readonly<Record<string, NodeRunState>>;
  /** The latest particles of a running solver. */
  readonly liveFrame?: LiveFrame;
  /** Final samples of each solver from the last finished run. */
  readonly samples: Readonly<Record<string, PointCloud>>;
  /** What each output port carried in the last run, by node id and port (for hover cards). */
  readonly portFacts: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export const useRunStore = create<RunState>()(() => ({
  backend: { phase: 'starting' },
  phase: 'idle',
  nodes: {},
  samples: {},
  portFacts: {},
}));

export const runStore = {
  setBackend(backend: BackendState): void {
    useRunStore.setState({ backend });
  },

  begin(): void {
    useRunStore.setState({
      phase: 'running',
      nodes: {},
      liveFrame: undefined,
      error: undefined,
      totalMs: undefined,
    });
  },

  /** Folds one engine event into the per-node state. */
  apply(event: UiEngineEvent): void {
    const setNode = (nodeId: string, next: NodeRunState): void =>
      useRunStore.setState((state) => ({ nodes: { ...state.nodes, [nodeId]: next } }));
    switch (event.type) {
      case 'run-start':
        useRunStore.setState({
          nodes: Object.fromEntries(
            event.order.map((id) => [id, { phase: 'waiting' } as NodeRunState]),
          ),
        });
        return;
      case 'node-start':
        setNode(event.nodeId, { phase: 'running' });
        return;
      case 'node-progress':
        setNode(event.nodeId, { phase: 'running', step: event.step, steps: event.steps });
        return;
      case 'node-frame-points':
        useRunStore.setState({ liveFrame: event });
        return;
      case 'node-done':
        setNode(event.nodeId, {
          phase: event.cached ? 'cached' : 'done',
          ms: event.ms,
          nfe: event.nfe,
        });
        return;
      case 'node-error':
        setNode(event.nodeId, { phase: 'failed', message: event.message });
        return;
      case 'run-done':
        return; // the run's result, which carries the samples, settles the run
    }
  },

  finish(
    summary: RunSummary,
    samples: Readonly<Record<string, PointCloud>>,
    portFacts: RunState['portFacts'] = {},
  ): void {
    const nodes: Record<string, NodeRunState> = {};
    for (const [id, node] of Object.entries(summary.nodes)) {
      const message = summary.error?.nodeId === id ? summary.error.message : undefined;
      nodes[id] = {
        phase: node.status,
        ms: node.ms,
        nfe: node.nfe,
        ...(message ? { message } : {}),
      };
    }
    useRunStore.setState({
      phase: summary.ok ? 'done' : summary.cancelled ? 'cancelled' : 'failed',
      totalMs: summary.ms,
      error: summary.error?.message,
      nodes,
      liveFrame: undefined,
      samples: summary.ok ? samples : useRunStore.getState().samples,
      // A failed run still tells what the nodes before the failure produced.
      portFacts,
    });
  },

  fail(message: string): void {
    useRunStore.setState({ phase: 'failed', error: message, liveFrame: undefined });
  },
};
