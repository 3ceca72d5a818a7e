// How the trajectory preview is set up: which solver and step it shows, playback, and its layers.
// None of it is saved with the graph.
import { create } from 'zustand';
import type { FieldKind } from './score-field';

export interface PreviewLayers {
  readonly trails: boolean;
  readonly x0hat: boolean;
  readonly contours: boolean;
  readonly data: boolean;
}

export type ZoomMode = 'data' | 'follow';

/** How the dock draws a coupling: lines between pairs, π as a heat map, or (images) top pairs. */
export type CouplingMode = 'lines' | 'heat' | 'pairs' | 'potentials';

interface PreviewState {
  /**
   * The node shown (a solver, a bridge, or a node with a coupling output; selecting one on the
   * canvas shows it); undefined follows whichever trajectory streamed last.
   */
  readonly nodeId?: string;
  /** The frame shown; undefined follows the newest one. */
  readonly step?: number;
  readonly playing: boolean;
  /** Playback speed in frames per second. */
  readonly fps: number;
  readonly layers: PreviewLayers;
  /** Frame the data (fixed, comparable across runs) or the shown particles. */
  readonly zoom: ZoomMode;
  /** The coupling view chosen; undefined: lines for points, the heat map for images. */
  readonly couplingMode?: CouplingMode;
  /** The heat map's colour scale: log₁₀ of the mass, else linear; undefined: log for images. */
  readonly heatLog?: boolean;
  /** The score view: whether its arrows are drawn, and which parameterisation of the field. */
  readonly field: { readonly on: boolean; readonly kind: FieldKind };
}

export const PLAYBACK_SPEEDS = [2, 5, 10, 20] as const;

export const usePreviewStore = create<PreviewState>()(() => ({
  playing: false,
  fps: 5,
  layers: { trails: true, x0hat: false, contours: false, data: true },
  zoom: 'data',
  field: { on: false, kind: 'score' },
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
  setCouplingMode: (couplingMode: CouplingMode) => usePreviewStore.setState({ couplingMode }),
  setHeatLog: (heatLog: boolean) => usePreviewStore.setState({ heatLog }),
  toggleField: () =>
    usePreviewStore.setState((state) => ({ field: { ...state.field, on: !state.field.on } })),
  setFieldKind: (kind: FieldKind) =>
    usePreviewStore.setState((state) => ({ field: { ...state.field, kind } })),
};
