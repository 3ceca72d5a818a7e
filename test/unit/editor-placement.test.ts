// New items go at the pointer and never on top of what is there.
import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  placementOffset,
  PLACEMENT_GAP,
  type Rect,
} from '../../renderer/graph/placement';

const card = (x: number, y: number): Rect => ({ x, y, width: 230, height: 160 });

describe('placementOffset', () => {
  it('puts the group’s top-left corner at the pointer on free canvas', () => {
    const offset = placementOffset([card(10, 20), card(300, 60)], [card(2000, 2000)], {
      x: 500,
      y: 400,
    });
    expect(offset).toEqual({ x: 490, y: 380 });
  });

  it('moves down until no placed item overlaps an existing one (with a gap)', () => {
    const occupied = [card(500, 400), card(500, 600)];
    const placed = [card(0, 0)];
    const offset = placementOffset(placed, occupied, { x: 520, y: 410 });
    const moved = { ...placed[0]!, x: offset.x, y: offset.y };
    expect(offset.x).toBe(520);
    for (const other of occupied) {
      const apart =
        moved.y >= other.y + other.height + PLACEMENT_GAP ||
        other.y >= moved.y + moved.height + PLACEMENT_GAP;
      expect(apart).toBe(true);
    }
  });

  it('bounds a group', () => {
    expect(boundsOf([card(10, 20), card(300, 60)])).toEqual({
      x: 10,
      y: 20,
      width: 520,
      height: 200,
    });
  });
});
