// What crosses the boundary between the UI thread and the engine worker: plain, cloneable data
// only (typed arrays, numbers, strings), never tensors.
import type { EngineEvent, RunSummary } from '../../graph-nodes';

export const BACKEND_PREFERENCE = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

export interface BackendReport {
  /** The backend tfjs now runs on. */
  readonly active: BackendName;
  /** Why each backend tried before it was passed over. */
  readonly skipped: readonly { name: BackendName; reason: string }[];
}

/** A point cloud copied out of a tensor: row-major [count, dim]. */
export interface PointCloud {
  readonly values: Float32Array;
  readonly count: number;
  readonly dim: number;
}

export interface RunResult {
  readonly summary: RunSummary;
  /** Final samples of each solver that ran, by node id. */
  readonly samples: Readonly<Record<string, PointCloud>>;
  /** What each output port carried, in words (e.g. "samples [2000, 2]"), by node id and port. */
  readonly portFacts: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The main thread answers the worker's file reads (the desktop bridge lives on this side). */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** A solver's particles at one step, for the live preview (the denoiser's x̂₀ stays behind). */
export interface FramePointsEvent {
  readonly type: 'node-frame-points';
  readonly nodeId: string;
  readonly step: number;
  readonly sigmaTilde: number;
  readonly points: PointCloud;
}

/** The engine's events as the UI receives them: frames arrive as FramePointsEvent. */
export type UiEngineEvent = Exclude<EngineEvent, { type: 'node-frame' }> | FramePointsEvent;

export interface EngineWorkerApi {
  /** Picks a backend: `preferred` alone if given, else the first of BACKEND_PREFERENCE that works. */
  selectBackend(preferred?: BackendName): Promise<BackendReport>;
  run(
    graphText: string,
    onEvent: (event: UiEngineEvent) => void,
    readFile: ReadFile,
  ): Promise<RunResult>;
  cancel(): void;
}
