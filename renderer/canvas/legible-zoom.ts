// Card text stays readable at every zoom a fit chooses. A graph that fits at LEGIBLE_ZOOM is never
// framed smaller than that; a bigger one is framed whole, and below LEGIBLE_ZOOM the cards show
// only their title and ports, in type scaled up so that it still reads at about 11 px on screen.
// The scale moves in steps, so zooming re-lays the cards out only when it crosses one.
import { useStore } from '@xyflow/react';
import { useEffect } from 'react';
import { create } from 'zustand';

/** The smallest zoom at which cards are drawn in full (their 11–13 px text reads at ≥ 9 px). */
export const LEGIBLE_ZOOM = 0.8;
export const FIT_OPTIONS = { padding: 0.15, maxZoom: 1.2 } as const;

/** Zooms at which the overview's type steps up (each step keeps text ≥ 11 px on screen). */
const OVERVIEW_STEPS = [0.68, 0.58, 0.5, 0.43, 0.37, 0.32] as const;
/** On-screen size the overview aims its title text at. */
const OVERVIEW_TITLE_PX = 11;
/** The card title's own size in CSS pixels (app.css .node-title). */
const TITLE_PX = 13;

export type DetailLevel = { readonly overview: false } | { readonly overview: true; scale: number };

const FULL: DetailLevel = { overview: false };
const OVERVIEW_LEVELS = new Map(
  OVERVIEW_STEPS.map((zoom) => [
    zoom,
    { overview: true, scale: OVERVIEW_TITLE_PX / (TITLE_PX * zoom) },
  ]),
);

/**
 * How cards are drawn at `zoom`: in full, or as an overview whose type is scaled by `scale`.
 * Below the last step the type stops growing (a 230 px card holds no bigger title); that far out
 * the canvas is a map of the graph.
 */
export function detailLevelAt(zoom: number): DetailLevel {
  if (zoom >= LEGIBLE_ZOOM) return FULL;
  const step = OVERVIEW_STEPS.find((lower) => zoom >= lower) ?? OVERVIEW_STEPS.at(-1)!;
  return OVERVIEW_LEVELS.get(step)!;
}

export interface Extent {
  readonly width: number;
  readonly height: number;
}

/**
 * Fit options for a graph of `bounds` in a canvas of `canvas`: a graph that fits at LEGIBLE_ZOOM
 * (padding aside) is not framed smaller than that; any other is framed whole.
 */
export function legibleFitOptions(
  bounds: Extent,
  canvas: Extent,
): { padding: number; maxZoom: number; minZoom?: number } {
  const fitsLegibly =
    bounds.width * LEGIBLE_ZOOM <= canvas.width && bounds.height * LEGIBLE_ZOOM <= canvas.height;
  return fitsLegibly ? { ...FIT_OPTIONS, minZoom: LEGIBLE_ZOOM } : FIT_OPTIONS;
}

/**
 * The current detail level, for the few things CSS cannot do (shortening port names). A store of
 * its own, apart from React Flow's, so that cards reading it are told only when the level changes,
 * never on a drag's pointer moves.
 */
export const useDetailLevel = create<{ level: DetailLevel }>(() => ({ level: FULL }));

/**
 * Marks React Flow's element with the detail level of the current zoom (data-detail and
 * --overview-scale), for node-card.css, and publishes it in useDetailLevel. Re-renders only when
 * the level changes.
 */
export function useZoomDetail(): void {
  const level = useStore((state) => detailLevelAt(state.transform[2]));
  const element = useStore((state) => state.domNode);
  useEffect(() => {
    useDetailLevel.setState({ level });
    if (!element) return;
    element.dataset['detail'] = level.overview ? 'overview' : 'full';
    if (level.overview) element.style.setProperty('--overview-scale', level.scale.toFixed(3));
    else element.style.removeProperty('--overview-scale');
  }, [element, level]);
}

/** Half a card (230 px) less a port row's padding and half its dot, in unscaled overview px. */
const PORT_NAME_ROOM = 115 - 12;
/** Port names' overview type (node-card.css .port), and a generous average glyph width. */
const PORT_PX = 9;
const GLYPH_EM = 0.62;

/**
 * A port name as the overview shows it: whole if it fits its half of the card at `scale`, else
 * cut with an ellipsis. Cut here rather than by CSS ellipsis, which needs a clip per name: with
 * 300 cards, over a thousand paint chunks the compositor re-sorts on every frame of a drag.
 */
export function overviewPortName(name: string, scale: number): string {
  const fits = Math.max(3, Math.floor(PORT_NAME_ROOM / (PORT_PX * GLYPH_EM * scale)));
  return name.length <= fits ? name : `${name.slice(0, fits - 1)}…`;
}
