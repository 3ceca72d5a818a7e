// The app's Train action: which node is training, its loss as it falls, and where its weights
// went (beside the graph on disk, or kept in this session when the graph has no folder).
import { create } from 'zustand';
import type { TrainingProgress } from '../engine/engine-protocol';
import type { WrittenFile } from '../files/document-files';

export type TrainingPhase = 'idle' | 'training' | 'done' | 'failed' | 'cancelled';

interface TrainingState {
  readonly phase: TrainingPhase;
  readonly nodeId?: string;
  readonly progress: readonly TrainingProgress[];
  readonly written: readonly WrittenFile[];
  readonly ms?: number;
  readonly error?: string;
}

export const useTrainingStore = create<TrainingState>()(() => ({
  phase: 'idle',
  progress: [],
  written: [],
}));

export const trainingStore = {
  begin(nodeId: string): void {
    useTrainingStore.setState({
      phase: 'training',
      nodeId,
      progress: [],
      written: [],
      ms: undefined,
      error: undefined,
    });
  },
  report(progress: TrainingProgress): void {
    useTrainingStore.setState((state) => ({ progress: [...state.progress, progress] }));
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
