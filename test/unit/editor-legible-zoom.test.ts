// The legible-zoom rules: which zooms draw cards in full, how much the overview scales its type,
// and when a fit may not frame a graph below the legible zoom.
import { describe, expect, it } from 'vitest';
import {
  detailLevelAt,
  FIT_OPTIONS,
  LEGIBLE_ZOOM,
  legibleFitOptions,
  overviewPortName,
} from '../../renderer/canvas/legible-zoom';

const TITLE_PX = 13;

describe('detail level by zoom', () => {
  it('draws cards in full from the legible zoom up', () => {
    expect(detailLevelAt(LEGIBLE_ZOOM)).toEqual({ overview: false });
    expect(detailLevelAt(1.2)).toEqual({ overview: false });
  });

  it('keeps the title at 10–15 px on screen in the overview, down to a zoom of 0.32', () => {
    for (let zoom = 0.32; zoom < LEGIBLE_ZOOM; zoom += 0.005) {
      const level = detailLevelAt(zoom);
      if (!level.overview) throw new Error(`zoom ${zoom} should be an overview`);
      const onScreen = TITLE_PX * level.scale * zoom;
      expect(onScreen, `zoom ${zoom.toFixed(3)}`).toBeGreaterThanOrEqual(10.9);
      expect(onScreen, `zoom ${zoom.toFixed(3)}`).toBeLessThan(15.5);
    }
  });

  it('changes only at its steps, so zooming re-lays cards out rarely', () => {
    const levels = new Set<unknown>();
    for (let zoom = 0.1; zoom < 1.2; zoom += 0.001) levels.add(detailLevelAt(zoom));
    expect(levels.size).toBeLessThanOrEqual(8);
  });
});

describe('legible fit', () => {
  it('a graph that fits at the legible zoom is not framed smaller', () => {
    const options = legibleFitOptions({ width: 800, height: 400 }, { width: 700, height: 600 });
    expect(options).toEqual({ ...FIT_OPTIONS, minZoom: LEGIBLE_ZOOM });
  });

  it('a bigger graph is framed whole', () => {
    expect(legibleFitOptions({ width: 1400, height: 400 }, { width: 700, height: 600 })).toEqual(
      FIT_OPTIONS,
    );
    expect(legibleFitOptions({ width: 400, height: 900 }, { width: 700, height: 600 })).toEqual(
      FIT_OPTIONS,
    );
  });
});

describe('overviewPortName', () => {
  it('keeps a short name whole and cuts a long one to fit, shorter as the type grows', () => {
    expect(overviewPortName('noise', 1.3)).toBe('noise');
    const long = 'reference_trajectory';
    const near = overviewPortName(long, 1.3);
    const far = overviewPortName(long, 2.6);
    expect(near.endsWith('…')).toBe(true);
    expect(far.length).toBeLessThan(near.length);
    expect(long.startsWith(far.slice(0, -1))).toBe(true);
    // Its glyphs fit half a card at that scale (9 px type, 0.62 em a glyph at most).
    expect(far.length * 9 * 0.62 * 2.6).toBeLessThanOrEqual(115);
    expect(overviewPortName(long, 50).length).toBe(3);
  });
});
