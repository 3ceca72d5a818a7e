// How every chart in the app looks: the dark theme's colours (app.css) in the form uPlot takes,
// its axis styling, and the colours of successive series.
import type uPlot from 'uplot';
import { labelTicks } from './axis-ticks';

export const CHART_COLOURS = {
  background: '#12141a',
  text: '#e6e9f0',
  muted: '#8b93a7',
  grid: '#2e3342',
  accent: '#59d499',
} as const;

export const SERIES_COLOURS = [
  '#4cc9f0',
  '#f4a261',
  '#59d499',
  '#ff7aa8',
  '#b388ff',
  '#e9c46a',
  '#7b9cff',
  '#ff6b6b',
] as const;

export const seriesColour = (index: number): string =>
  SERIES_COLOURS[index % SERIES_COLOURS.length]!;

const FONT_FAMILY = 'system-ui, sans-serif';

/** A CSS font at `size` px, times `scale` (exports draw at twice the size). */
export const chartFont = (size: number, scale = 1): string => `${size * scale}px ${FONT_FAMILY}`;

/**
 * An axis in the app's style: muted tick labels (recorded on the chart for tests and readers,
 * see labelTicks), faint grid, a label in the text colour. `scale` multiplies every size.
 */
export function themedAxis(label: string, scale = 1, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    label,
    stroke: CHART_COLOURS.muted,
    font: chartFont(11, scale),
    labelFont: chartFont(12, scale),
    labelSize: 20 * scale,
    gap: 4 * scale,
    size: 30 * scale,
    space: 36 * scale,
    grid: { stroke: CHART_COLOURS.grid, width: scale },
    ticks: { stroke: CHART_COLOURS.grid, width: scale, size: 4 * scale },
    values: labelTicks,
    ...extra,
  };
}
