// The app's Train action: which node is training, its loss as it falls, samples of the model as
// it learns, and where its weights went (beside the graph on disk, or kept in this session when
// the graph has no folder).
import { create } from 'zustand';
import type { PointCloud, TrainingProgress, TrainingUpdate } from '../engine/engine-protocol';
import type { WrittenFile } from '../files/document-files';

export type TrainingPhase = 'idle' | 'training' | 'done' | 'failed' | 'cancelled';

/** Samples drawn from the model being trained, as it stood at `step`. */
export interface SamplePreview {
  readonly step: number;
  readonly points: PointCloud;
}

interface TrainingState {
  readonly phase: TrainingPhase;
  readonly nodeId?: string;
  readonly progress: readonly TrainingProgress[];
  readonly previews: readonly SamplePreview[];
  /** Bumped by each begin, so views can tell one training from the next. */
  readonly session: number;
  readonly written: readonly WrittenFile[];
  readonly ms?: number;
  readonly error?: string;
}

export const useTrainingStore = create<TrainingState>()(() => ({
  phase: 'idle',
  progress: [],
  previews: [],
  session: 0,
  written: [],
}));

export const trainingStore = {
  begin(nodeId: string): void {
    useTrainingStore.setState((state) => ({
      phase: 'training',
      nodeId,
      progress: [],
      previews: [],
      session: state.session + 1,
      written: [],
      ms: undefined,
      error: undefined,
    }));
  },
  report({ samples, ...progress }: TrainingUpdate): void {
    useTrainingStore.setState((state) => ({
      progress: [...state.progress, progress],
      previews: samples
        ? [...state.previews, { step: progress.step, points: samples }]
        : state.previews,
    }));
  },
  wrote(file: WrittenFile): void {
    useTrainingStore.setState((state) => ({ written: [...state.written, file] }));
  },
  finish(ms: number): void {
    useTrainingStore.setState({ phase: 'done', ms });
  },
  fail(message: string, cancelled: boolean): void {
    useTrainingStore.setState({ phase: cancelled ? 'cancelled' : 'failed', error: message });
  },
};
