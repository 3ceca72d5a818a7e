// Remembered panel sizes come back from storage checked: garbage, missing fields and widths out of
// range fall back to defaults or limits rather than breaking the window's layout.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PANEL_SIZES,
  defaultPanelSizes,
  PANEL_LIMITS,
  parsePanelSizes,
} from '../../renderer/chrome/panel-sizes';

describe('parsePanelSizes', () => {
  it('gives the defaults for nothing stored, bad JSON or a non-object', () => {
    for (const text of [null, '', '{', 'null', '42', '"wide"', '[]'])
      expect(parsePanelSizes(text)).toEqual(DEFAULT_PANEL_SIZES);
  });

  it('keeps valid fields and defaults the rest', () => {
    const sizes = parsePanelSizes(JSON.stringify({ sideWidth: 320, dockCollapsed: true }));
    expect(sizes).toEqual({ ...DEFAULT_PANEL_SIZES, sideWidth: 320, dockCollapsed: true });
  });

  it('clamps widths to the limits and rejects non-numbers and non-booleans', () => {
    const sizes = parsePanelSizes(
      JSON.stringify({ sideWidth: 5, dockWidth: 1e9, sideCollapsed: 'yes', libraryCollapsed: 1 }),
    );
    expect(sizes.sideWidth).toBe(PANEL_LIMITS.side.min);
    expect(sizes.dockWidth).toBe(PANEL_LIMITS.dock.max);
    expect(sizes.sideCollapsed).toBe(false);
    expect(sizes.libraryCollapsed).toBe(false);
    expect(parsePanelSizes('{"sideWidth":"NaN"}').sideWidth).toBe(DEFAULT_PANEL_SIZES.sideWidth);
  });

  it('gives the dock about a third of the window by default, within its limits', () => {
    expect(defaultPanelSizes(1440).dockWidth).toBe(518);
    expect(defaultPanelSizes(600).dockWidth).toBe(PANEL_LIMITS.dock.min);
    const defaults = defaultPanelSizes(1440);
    expect(parsePanelSizes(null, defaults)).toEqual(defaults);
    expect(parsePanelSizes('{"sideWidth":300}', defaults).dockWidth).toBe(518);
  });

  it('reads only own fields', () => {
    const text = '{"__proto__":{"sideCollapsed":true}}';
    expect(parsePanelSizes(text).sideCollapsed).toBe(false);
  });
});
