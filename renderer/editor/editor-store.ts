// The editor's passing state, beside the document: what is selected, what the pointer hovers, the
// quick-add palette, the last refusal to show, and the help overlay. None of it is saved or undone.
import { create } from 'zustand';
import type { Position } from '../graph/document-edits';
import type { WireEnd } from '../library/node-search';
import type { PortRef } from '../../graph-nodes';

export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
  readonly notes: readonly string[];
}

export interface PaletteRequest {
  /** Where the chosen node goes, in canvas coordinates. */
  readonly at: Position;
  /** Where the palette opens, in window coordinates. */
  readonly screen: Position;
  /** A wire dropped on empty canvas: only nodes that can take it are offered, then wired. */
  readonly wire?: { readonly ref: PortRef; readonly end: WireEnd };
}

export interface HoverFacts {
  readonly title: string;
  readonly lines: readonly string[];
  readonly screen: Position;
}

interface EditorState {
  readonly selection: Selection;
  /** Set by commands that create items (paste, add): the canvas selects these and clears it. */
  readonly selectionRequest: Selection | null;
  readonly palette: PaletteRequest | null;
  readonly hover: HoverFacts | null;
  readonly notice: { readonly text: string; readonly serial: number } | null;
  readonly helpOpen: boolean;
  /** The minimap: shown or hidden by the user (M), or null: shown only on a wide canvas. */
  readonly minimapChoice: boolean | null;
  /** The canvas's width in px, as React Flow last measured it. */
  readonly canvasWidth: number;
}

export const EMPTY_SELECTION: Selection = { nodes: [], edges: [], notes: [] };

export const useEditorStore = create<EditorState>()(() => ({
  selection: EMPTY_SELECTION,
  selectionRequest: null,
  palette: null,
  hover: null,
  notice: null,
  helpOpen: false,
  minimapChoice: null,
  canvasWidth: 0,
}));

/**
 * Below this canvas width the minimap starts hidden: on a narrow canvas it covers the nodes and
 * ports at the bottom right and swallows presses meant for wires.
 */
export const MINIMAP_MIN_CANVAS_WIDTH = 900;

/** Whether the minimap shows: the user's choice, else whether the canvas is wide. */
export function isMinimapShown(
  state: Pick<EditorState, 'minimapChoice' | 'canvasWidth'> = useEditorStore.getState(),
): boolean {
  return state.minimapChoice ?? state.canvasWidth >= MINIMAP_MIN_CANVAS_WIDTH;
}

let noticeSerial = 0;

export const editorState = {
  setSelection: (selection: Selection) => useEditorStore.setState({ selection }),
  requestSelection: (selection: Selection) =>
    useEditorStore.setState({ selectionRequest: selection }),
  openPalette: (palette: PaletteRequest) => useEditorStore.setState({ palette, hover: null }),
  closePalette: () => useEditorStore.setState({ palette: null }),
  setHover: (hover: HoverFacts | null) => useEditorStore.setState({ hover }),
  showNotice: (text: string) =>
    useEditorStore.setState({ notice: { text, serial: ++noticeSerial } }),
  clearNotice: () => useEditorStore.setState({ notice: null }),
  setHelpOpen: (helpOpen: boolean) => useEditorStore.setState({ helpOpen }),
  setMinimapChoice: (minimapChoice: boolean) => useEditorStore.setState({ minimapChoice }),
  setCanvasWidth: (canvasWidth: number) => useEditorStore.setState({ canvasWidth }),
};
