// Everything the UI knows about the engine: its backend, the current run, the trajectories it
// streams, and what it produced.
import { create } from 'zustand';
import type {
  BackendReport,
  FramePointsEvent,
  NodePreview,
  PointCloud,
  UiEngineEvent,
} from '../engine/engine-protocol';
import type { Metrics, RunSummary } from '../../graph-nodes';

export type BackendState =
  | { readonly phase: 'starting' }
  | { readonly phase: 'ready'; readonly report: BackendReport }
  | { readonly phase: 'failed'; readonly message: string };

export interface NodeRunState {
  readonly phase: 'queued' | 'running' | 'done' | 'cached' | 'failed' | 'skipped';
  readonly ms?: number;
  readonly nfe?: number;
  readonly step?: number;
  readonly steps?: number;
  readonly message?: string;
}

export type RunPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/** One solver state as the preview holds it. */
export type TrajectoryFrame = Omit<FramePointsEvent, 'type' | 'nodeId' | 'kind'>;

/** A solver's frames so far: complete once its node is done, growing while it runs. */
export interface TrajectoryRecord {
  readonly nodeId: string;
  readonly frames: readonly TrajectoryFrame[];
  /** Steps the solver will take (frames.length − 1 once complete), when known. */
  readonly steps?: number;
  /** Which run produced it (runs are numbered from 1). */
  readonly run: number;
  /** 'bridge': a Schrödinger bridge's paths, t from 0 to 1 (FramePointsEvent.kind). */
  readonly kind?: 'bridge';
}

interface RunState {
  readonly backend: BackendState;
  readonly phase: RunPhase;
  /** Numbers runs, so views can tell a re-run from the same one. */
  readonly runCount: number;
  readonly totalMs?: number;
  readonly error?: string;
  readonly nodes: Readonly<Record<string, NodeRunState>>;
  /** Each solver's frames from its latest run (a cached solver keeps the ones it made). */
  readonly trajectories: Readonly<Record<string, TrajectoryRecord>>;
  /** The solver whose frames arrived last: what the preview shows unless told otherwise. */
  readonly liveNodeId?: string;
  /** Final samples of each solver from the last finished run. */
  readonly samples: Readonly<Record<string, PointCloud>>;
  /** What each output port carried in the last run, by node id and port (for hover cards). */
  readonly portFacts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Small plots of what each node produced in the last run. */
  readonly nodePreviews: Readonly<Record<string, NodePreview>>;
  /** The run each node's preview came from (views show it, so a bench can count re-runs drawn). */
  readonly previewRuns: Readonly<Record<string, number>>;
  /** What each Metrics or Compare node measured in the last run. */
  readonly metrics: Readonly<Record<string, Metrics>>;
  /** Re-run on every edit. */
  readonly autoRun: boolean;
  /**
   * Required inputs not connected yet, when that alone kept auto-run from running the graph (a
   * graph being built is not a failure: the UI says so in grey, not red).
   */
  readonly unconnected?: readonly { readonly nodeId: string; readonly port: string }[];
}

export const useRunStore = create<RunState>()(() => ({
  backend: { phase: 'starting' },
  phase: 'idle',
  runCount: 0,
  nodes: {},
  trajectories: {},
  samples: {},
  portFacts: {},
  nodePreviews: {},
  previewRuns: {},
  metrics: {},
  autoRun: false,
}));

function withNode(state: RunState, nodeId: string, next: NodeRunState): RunState {
  return { ...state, nodes: { ...state.nodes, [nodeId]: next } };
}

/** Frames a preview keeps per solver; a longer run keeps every other one, then every fourth, … */
export const PREVIEW_FRAME_BYTES = 128 * 1024 ** 2;

function frameBytes(frame: TrajectoryFrame): number {
  return frame.points.values.byteLength + (frame.x0hat?.values.byteLength ?? 0);
}

/**
 * Halves a trajectory that outgrew PREVIEW_FRAME_BYTES, keeping the first and the newest frame:
 * each frame still says its own step, so the timeline stays truthful, only coarser.
 */
export function decimateFrames(frames: readonly TrajectoryFrame[]): readonly TrajectoryFrame[] {
  const bytes = frames.reduce((total, frame) => total + frameBytes(frame), 0);
  if (bytes <= PREVIEW_FRAME_BYTES || frames.length < 3) return frames;
  return frames.filter((_, k) => k % 2 === 0 || k === frames.length - 1);
}

function withFrame(state: RunState, event: FramePointsEvent): RunState {
  const { type: _type, nodeId, kind, ...frame } = event;
  const previous = state.trajectories[nodeId];
  // Step 0 starts the node's new trajectory; until then the last one stays on screen.
  const frames =
    frame.step === 0 || !previous || previous.run !== state.runCount
      ? [frame]
      : decimateFrames([...previous.frames, frame]);
  const steps = state.nodes[nodeId]?.steps ?? previous?.steps;
  return {
    ...state,
    liveNodeId: nodeId,
    trajectories: {
      ...state.trajectories,
      [nodeId]: {
        nodeId,
        frames,
        run: state.runCount,
        ...(steps ? { steps } : {}),
        ...(kind ? { kind } : {}),
      },
    },
  };
}

/** One engine event folded into the run state. */
function foldEvent(state: RunState, event: UiEngineEvent): RunState {
  switch (event.type) {
    case 'run-start':
      // Nodes outside this run (another branch) keep showing how they last went.
      return {
        ...state,
        nodes: {
          ...state.nodes,
          ...Object.fromEntries(event.order.map((id) => [id, { phase: 'queued' } as const])),
        },
      };
    case 'node-start':
      return withNode(state, event.nodeId, { phase: 'running' });
    case 'node-progress':
      return withNode(state, event.nodeId, {
        phase: 'running',
        step: event.step,
        steps: event.steps,
      });
    case 'node-frame-points':
      return withFrame(state, event);
    case 'node-preview':
      return {
        ...state,
        nodePreviews: { ...state.nodePreviews, [event.nodeId]: event.preview },
        previewRuns: { ...state.previewRuns, [event.nodeId]: state.runCount },
      };
    case 'node-done':
      return withNode(state, event.nodeId, {
        phase: event.cached ? 'cached' : 'done',
        ms: event.ms,
        nfe: event.nfe,
      });
    case 'node-error':
      return withNode(state, event.nodeId, { phase: 'failed', message: event.message });
    case 'run-done':
      return state; // the run's result, which carries the samples, settles the run
  }
}

export const runStore = {
  setBackend(backend: BackendState): void {
    useRunStore.setState({ backend });
  },

  setAutoRun(autoRun: boolean): void {
    useRunStore.setState({ autoRun });
  },

  /**
   * Forgets every run: another document was opened, and nothing the last one produced (particles,
   * captions, node states, "done in …") describes it. The backend and auto-run stay; runCount
   * keeps counting so that views still tell runs apart.
   */
  clear(): void {
    useRunStore.setState((state) => ({
      // A run still being cancelled stays 'running' until it ends (its end clears again), so
      // that no second run starts beside it.
      phase: state.phase === 'running' ? 'running' : 'idle',
      runCount: state.runCount + 1,
      totalMs: undefined,
      error: undefined,
      nodes: {},
      trajectories: {},
      liveNodeId: undefined,
      samples: {},
      portFacts: {},
      nodePreviews: {},
      previewRuns: {},
      metrics: {},
      unconnected: undefined,
    }));
  },

  /** Auto-run waits for these inputs to be connected (undefined: nothing to wait for). */
  setUnconnected(unconnected: RunState['unconnected']): void {
    useRunStore.setState({ unconnected });
  },

  begin(): void {
    useRunStore.setState((state) => ({
      unconnected: undefined,
      phase: 'running',
      runCount: state.runCount + 1,
      error: undefined,
      totalMs: undefined,
    }));
  },

  /** Folds engine events into the state in one update (one render for a burst of events). */
  apply(...events: UiEngineEvent[]): void {
    if (events.length > 0) useRunStore.setState((state) => events.reduce(foldEvent, state));
  },

  finish(
    summary: RunSummary,
    samples: Readonly<Record<string, PointCloud>>,
    portFacts: RunState['portFacts'] = {},
    nodePreviews: RunState['nodePreviews'] = {},
    metrics: RunState['metrics'] = {},
  ): void {
    const nodes: Record<string, NodeRunState> = { ...useRunStore.getState().nodes };
    for (const [id, node] of Object.entries(summary.nodes)) {
      // A node outside a branch run keeps the state it had (or none); one queued but skipped
      // (after a failure upstream) says so.
      if (node.status === 'skipped' && nodes[id]?.phase !== 'queued') continue;
      const message = summary.error?.nodeId === id ? summary.error.message : undefined;
      nodes[id] = {
        phase: node.status,
        ms: node.ms,
        nfe: node.nfe,
        ...(message ? { message } : {}),
      };
    }
    for (const id of Object.keys(nodes)) if (!Object.hasOwn(summary.nodes, id)) delete nodes[id];
    // What a node that left the graph produced goes with it; a branch run keeps the rest.
    const inGraph = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
      Object.fromEntries(Object.entries(record).filter(([id]) => Object.hasOwn(summary.nodes, id)));
    useRunStore.setState((state) => ({
      phase: summary.ok ? 'done' : summary.cancelled ? 'cancelled' : 'failed',
      totalMs: summary.ms,
      error: summary.error?.message,
      nodes,
      samples: inGraph(summary.ok ? { ...state.samples, ...samples } : state.samples),
      // A failed run still tells what the nodes before the failure produced.
      portFacts,
      nodePreviews: inGraph({ ...state.nodePreviews, ...nodePreviews }),
      previewRuns: inGraph({
        ...state.previewRuns,
        ...Object.fromEntries(Object.keys(nodePreviews).map((id) => [id, state.runCount])),
      }),
      metrics: inGraph({ ...state.metrics, ...metrics }),
      trajectories: inGraph(state.trajectories),
    }));
  },

  fail(message: string): void {
    useRunStore.setState({ phase: 'failed', error: message });
  },
};
