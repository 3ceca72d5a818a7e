// The sweep's error-vs-NFE chart as one SVG document: log–log axes with decade ticks, a line per
// solver, and each solver's fitted order in the legend. The app shows this very text and exports
// it as .svg (and, drawn onto a canvas, as .png), so what is saved is what was seen.
import type { SweepSeries } from '../../graph-nodes';

export const SERIES_COLOURS = [
  '#4cc9f0',
  '#f4a261',
  '#59d499',
  '#ff7aa8',
  '#b388ff',
  '#e9c46a',
  '#7b9cff',
  '#ff6b6b',
];

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

const MARGIN = { left: 64, right: 180, top: 20, bottom: 46 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/gu, (char) => `&#${char.charCodeAt(0)};`);
}

/** Powers of ten covering [low, high], widened to whole decades. */
function decades(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power++) {
    ticks.push(10 ** power);
  }
  return ticks;
}

function tickLabel(value: number): string {
  return value >= 1e-2 && value <= 1e4
    ? String(Number(value.toPrecision(3)))
    : value.toExponential(0);
}

export function sweepChartSvg(
  series: readonly SweepSeries[],
  errorMetric: string,
  size: ChartSize,
): string {
  const points = series.flatMap((line) => line.points);
  const { width, height } = size;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#12141a"/>`,
  ];
  if (points.length === 0) {
    parts.push(
      `<text x="${width / 2}" y="${height / 2}" fill="#8b93a7" text-anchor="middle">No finished grid points yet</text></svg>`,
    );
    return parts.join('');
  }
  const xTicks = decades(
    Math.min(...points.map((p) => p.nfe)),
    Math.max(...points.map((p) => p.nfe)),
  );
  const yTicks = decades(
    Math.min(...points.map((p) => p.error)),
    Math.max(...points.map((p) => p.error)),
  );
  const [xLow, xHigh] = [Math.log10(xTicks[0]!), Math.log10(xTicks.at(-1)!)];
  const [yLow, yHigh] = [Math.log10(yTicks[0]!), Math.log10(yTicks.at(-1)!)];
  const x = (nfe: number) =>
    MARGIN.left + ((Math.log10(nfe) - xLow) / (xHigh - xLow || 1)) * plotWidth;
  const y = (error: number) =>
    MARGIN.top + (1 - (Math.log10(error) - yLow) / (yHigh - yLow || 1)) * plotHeight;

  for (const tick of xTicks) {
    const px = x(tick).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#2e3342"/>`,
      `<text x="${px}" y="${MARGIN.top + plotHeight + 16}" fill="#8b93a7" text-anchor="middle">${tickLabel(tick)}</text>`,
    );
  }
  for (const tick of yTicks) {
    const py = y(tick).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${py}" y2="${py}" stroke="#2e3342"/>`,
      `<text x="${MARGIN.left - 6}" y="${py}" fill="#8b93a7" text-anchor="end" dominant-baseline="middle">${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${height - 8}" fill="#e6e9f0" text-anchor="middle">NFE (log)</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" fill="#e6e9f0" text-anchor="middle">${escapeXml(errorMetric)} (log)</text>`,
  );

  series.forEach((line, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length]!;
    const label = escapeXml(line.label);
    const coordinates = line.points.map((p) => `${x(p.nfe).toFixed(1)},${y(p.error).toFixed(1)}`);
    parts.push(
      `<g class="series" data-series="${label}" data-order="${line.order ?? ''}">`,
      `<polyline points="${coordinates.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      ...line.points.map(
        (p) =>
          `<circle cx="${x(p.nfe).toFixed(1)}" cy="${y(p.error).toFixed(1)}" r="3" fill="${colour}" data-nfe="${p.nfe}" data-error="${p.error}"/>`,
      ),
      '</g>',
    );
    const legendY = MARGIN.top + 8 + index * 18;
    const order = line.order === undefined ? '' : ` (order ${line.order.toFixed(2)})`;
    parts.push(
      `<line x1="${width - MARGIN.right + 14}" x2="${width - MARGIN.right + 34}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${width - MARGIN.right + 40}" y="${legendY}" fill="#e6e9f0" dominant-baseline="middle">${label}${order}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
