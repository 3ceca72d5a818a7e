// Where new items go: at the pointer, then moved down until they overlap nothing already there.
import type { Position } from './document-edits';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Space kept between a placed item and its neighbours. */
export const PLACEMENT_GAP = 16;
/** How far each try moves down. */
const STEP = 24;
/** Tries before giving up and placing at the last one (a canvas this crowded is rare). */
const MAX_TRIES = 400;

function overlaps(a: Rect, b: Rect): boolean {
  return (
    a.x < b.x + b.width + PLACEMENT_GAP &&
    b.x < a.x + a.width + PLACEMENT_GAP &&
    a.y < b.y + b.height + PLACEMENT_GAP &&
    b.y < a.y + a.height + PLACEMENT_GAP
  );
}

/** The bounding box of rects (at least one). */
export function boundsOf(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((rect) => rect.x));
  const top = Math.min(...rects.map((rect) => rect.y));
  const right = Math.max(...rects.map((rect) => rect.x + rect.width));
  const bottom = Math.max(...rects.map((rect) => rect.y + rect.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The offset that moves a group of items (`placed`, as they are now) so that its top-left corner
 * is at `anchor`, then down in steps until none of them overlaps any of `occupied`.
 */
export function placementOffset(
  placed: readonly Rect[],
  occupied: readonly Rect[],
  anchor: Position,
): Position {
  const bounds = boundsOf(placed);
  const offset = { x: anchor.x - bounds.x, y: anchor.y - bounds.y };
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const clear = placed.every((rect) =>
      occupied.every(
        (other) => !overlaps({ ...rect, x: rect.x + offset.x, y: rect.y + offset.y }, other),
      ),
    );
    if (clear) break;
    offset.y += STEP;
  }
  return offset;
}
