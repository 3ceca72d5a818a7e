// The legible-zoom rules: which zooms draw cards in full, how much the overview scales its type,
// and when a fit may not frame a graph below the legible zoom.
import { describe, expect, it } from 'vitest';
import {
  detailLevelAt,
  FIT_OPTIONS,
  LEGIBLE_ZOOM,
  legibleFitOptions,
  overviewPortName,
  overviewTitle,
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

describe('overviewTitle', () => {
  // A monospace stand-in for the card's font: every glyph 0.6 em wide.
  const measure = (text: string, fontPx: number) => text.length * 0.6 * fontPx;
  // At scale 2 the title is 26 px type: 15.6 px a glyph, so 12 glyphs on the first line (its
  // toggle takes 15 px of the 212) and 13 on the second.
  const lines = (text: string) => {
    const width = (line: string) => measure(line, 26);
    return { first: width(text) <= 197, second: width(text) <= 212 };
  };

  it('keeps a title that wraps into two lines whole', () => {
    expect(overviewTitle('Karras timesteps', 2, measure)).toBe('Karras timesteps');
    expect(overviewTitle('EDM schedule', 1, measure)).toBe('EDM schedule');
  });

  it('cuts a longer one at the end of its second line, wrapping at spaces as the card does', () => {
    const shown = overviewTitle('Probability flow ODE solver with Heun steps', 2, measure);
    // "Probability " fills the first line; the second holds 13 glyphs, the ellipsis one of them.
    expect(shown).toBe('Probability flow ODE sol…');
    const second = shown.slice('Probability '.length);
    expect(lines('Probability').first).toBe(true);
    expect(lines(second).second).toBe(true);
  });

  it('may end a line after a hyphen', () => {
    // "Gaussian-" ends the first line, so "mixture denoiser" (16 glyphs) must fit the second.
    expect(overviewTitle('Gaussian-mixture denoiser', 2, measure)).toBe('Gaussian-mixture deno…');
  });

  it('breaks a word too long for a line inside it, and cuts the rest', () => {
    const shown = overviewTitle('x'.repeat(40), 2, measure);
    expect(shown).toBe(`${'x'.repeat(12 + 12)}…`);
  });

  it('cuts shorter as the type grows', () => {
    const title = 'Classifier-free guidance with a learned denoiser';
    const near = overviewTitle(title, 1.3, measure);
    const far = overviewTitle(title, 2.6, measure);
    expect(far.length).toBeLessThan(near.length);
    expect(far.endsWith('…') && near.endsWith('…')).toBe(true);
  });
});
