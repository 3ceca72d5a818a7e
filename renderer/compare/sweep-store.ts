// The app's sweep: what grid the user asked for, the points as they land, and the result.
import { create } from 'zustand';
import { fitSeries, type SweepAxis, type SweepPoint, type SweepResult } from '../../graph-nodes';

export type SweepPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

interface SweepState {
  readonly phase: SweepPhase;
  readonly axes: readonly SweepAxis[];
  readonly points: readonly SweepPoint[];
  readonly total: number;
  readonly result?: SweepResult;
  readonly error?: string;
}

export const useSweepStore = create<SweepState>()(() => ({
  phase: 'idle',
  axes: [],
  points: [],
  total: 0,
}));

export const sweepStore = {
  begin(axes: readonly SweepAxis[]): void {
    useSweepStore.setState({
      phase: 'running',
      axes,
      points: [],
      total: 0,
      result: undefined,
      error: undefined,
    });
  },
  addPoint(point: SweepPoint, total: number): void {
    useSweepStore.setState((state) => ({ points: [...state.points, point], total }));
  },
  finish(result: SweepResult): void {
    useSweepStore.setState((state) => ({
      phase: result.cancelled ? 'cancelled' : 'done',
      points: result.points,
      // A result opened from a file arrives whole, with no running count before it.
      total: Math.max(state.total, result.points.length),
      result,
    }));
  },
  fail(message: string): void {
    useSweepStore.setState({ phase: 'failed', error: message });
  },
};

/** The chart's lines so far: the finished result's, or fitted from the points that have landed. */
export function currentSeries(state: SweepState, errorMetric: string) {
  return state.result?.series ?? fitSeries(state.axes, state.points, errorMetric);
}
