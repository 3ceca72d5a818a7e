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

/** Measures a string's width in CSS px at a font size (canvas text metrics in the app). */
export type MeasureText = (text: string, fontPx: number) => number;

/** The overview title's line: a card (230 px) less its borders and the header's padding. */
const TITLE_LINE_PX = 230 - 2 - 16;
/** The collapse toggle before the title on its first line (node-card.css .node-collapse). */
const TOGGLE_PX = 15;
const TITLE_LINES = 2;

/**
 * A title as the overview shows it: whole when it wraps into two lines of the card at `scale`,
 * else cut with an ellipsis at the end of the second. Cut here rather than by a CSS line clamp,
 * which clips every card's title: 300 clips that the compositor re-sorts on every frame of a drag.
 * Wraps as the card does: after spaces and hyphens, and inside a word too long for a line.
 */
export function overviewTitle(title: string, scale: number, measure: MeasureText): string {
  const fontPx = TITLE_PX * scale;
  const width = (text: string) => measure(text, fontPx);
  const room = (line: number) => TITLE_LINE_PX - (line === 0 ? TOGGLE_PX : 0);
  let line = 0;
  let start = 0;
  while (line < TITLE_LINES) {
    const rest = title.slice(start);
    if (width(rest) <= room(line)) return title;
    // The longest head of the rest that fits: up to a space if there is one, else any cut.
    const fit = longestFitting(rest, (head) => width(head) <= room(line));
    // A line may end after a space or a hyphen within what fits.
    const opening = Math.max(rest.lastIndexOf(' ', fit), rest.lastIndexOf('-', fit - 1));
    const end = opening > 0 && line < TITLE_LINES - 1 ? opening + 1 : fit;
    if (line === TITLE_LINES - 1) {
      const ellipsed = (length: number) => `${rest.slice(0, length).trimEnd()}…`;
      const cut = longestFitting(
        rest.slice(0, end),
        (head) => width(ellipsed(head.length)) <= room(line),
      );
      return `${title.slice(0, start)}${ellipsed(cut)}`;
    }
    start += end;
    line++;
  }
  return title;
}

/** The length of the longest head of `text` (at least one character) that `fits`; binary search. */
function longestFitting(text: string, fits: (head: string) => boolean): number {
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(text.slice(0, middle))) low = middle;
    else high = middle - 1;
  }
  return low;
}

let context: CanvasRenderingContext2D | null | undefined;
let family = '';

/** Canvas text metrics in the card title's font (bold, the page's family). */
export const measureTitleText: MeasureText = (text, fontPx) => {
  if (context === undefined) {
    context = document.createElement('canvas').getContext('2d');
    family = getComputedStyle(document.body).fontFamily;
  }
  // Without a canvas (never in the app), a generous guess: 0.62 em per glyph.
  if (!context) return text.length * fontPx * 0.62;
  context.font = `600 ${fontPx}px ${family}`;
  return context.measureText(text).width;
};
