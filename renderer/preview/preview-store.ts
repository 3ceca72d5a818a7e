// How the trajectory preview is set up: which solver and step it shows, playback, and its layers.
// None of it is saved with the graph.
import { create } from 'zustand';

export interface PreviewLayers {
  readonly trails: boolean;
  readonly x0hat: boolean;
  readonly contours: boolean;
  readonly data: boolean;
}

export type ZoomMode = 'data' | 'follow';

interface PreviewState {
  /** The solver shown; undefined follows whichever streamed last. */
  readonly nodeId?: string;
  /** The frame shown; undefined follows the newest one. */
  readonly step?: number;
  readonly playing: boolean;
  /** Playback speed in frames per second. */
  readonly fps: number;
  readonly layers: PreviewLayers;
  /** Frame the data (fixed, comparable across runs) or the shown particles. */
  readonly zoom: ZoomMode;
}

export const PLAYBACK_SPEEDS = [2, 5, 10, 20] as const;

export const usePreviewStore = create<PreviewState>()(() => ({
  playing: false,
  fps: 5,
  layers: { trails: true, x0hat: false, contours: false, data: true },
  zoom: 'data',
}));

export const previewState = {
  showNode: (nodeId: string | undefined) => usePreviewStore.setState({ nodeId, step: undefined }),
  /** undefined: follow the newest frame. */
  showStep: (step: number | undefined) => usePreviewStore.setState({ step }),
  setPlaying: (playing: boolean) => usePreviewStore.setState({ playing }),
  setFps: (fps: number) => usePreviewStore.setState({ fps }),
  toggleLayer: (layer: keyof PreviewLayers) =>
    usePreviewStore.setState((state) => ({
      layers: { ...state.layers, [layer]: !state.layers[layer] },
    })),
  setZoom: (zoom: ZoomMode) => usePreviewStore.setState({ zoom }),
};
