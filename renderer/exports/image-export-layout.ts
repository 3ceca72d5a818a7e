// Where an image run's export puts things: the x̃ grid and the x̂₀ grid side by side, a label row
// above them and a caption row below, at the largest whole-number zoom that keeps the picture
// within a width. Every frame of a run gets the same size (it depends only on the number and
// layout of the images), as a GIF needs.
import { fitGrid, gridSize, type GridFit, type TileLayout } from '../preview/image-tiles';

/** Margin around and between the grids, in pixels. */
export const MARGIN = 16;
/** The label row above each grid and the caption row below both. */
const LABEL_ROW = 24;
const CAPTION_ROW = 28;

export interface ImageExportLayout {
  readonly fit: GridFit;
  /** Each grid's size. */
  readonly grid: { readonly width: number; readonly height: number };
  /** The whole picture's size. */
  readonly width: number;
  readonly height: number;
  /** Where the grids' top edge is. */
  readonly top: number;
}

export function imageExportLayout(
  count: number,
  layout: TileLayout,
  maxWidth: number,
): ImageExportLayout {
  const side = Math.floor((maxWidth - 3 * MARGIN) / 2);
  const fit = fitGrid(count, layout, { width: side, height: side });
  const grid = gridSize(count, layout, fit);
  return {
    fit,
    grid,
    width: 2 * grid.width + 3 * MARGIN,
    height: MARGIN + LABEL_ROW + grid.height + MARGIN + CAPTION_ROW,
    top: MARGIN + LABEL_ROW,
  };
}
