// Draws the trajectory preview's layers on a 2-D canvas context: the grid and the data behind,
// then trails, density contours and x̂₀, then the particles. The on-screen plot and the PNG/GIF
// exports share these, so an export shows exactly what the dock shows.
import type { PointCloud } from '../engine/engine-protocol';
import type { TrajectoryFrame } from '../run/run-store';
import { densityContours } from './density-contours';
import type { MixtureComponent } from './mixture-backdrop';
import { toPixelX, toPixelY, type PlotView } from './plot-view';
import type { PreviewLayers } from './preview-store';
import type { Arrow } from './score-field';

export const COLOURS = {
  background: '#0d0f14',
  mixture: '179,136,255',
  data: 'rgba(179,136,255,0.35)',
  trail: 'rgba(142,202,230,0.10)',
  x0hat: '#ff9f6e',
  contour: ['rgba(89,212,153,0.35)', 'rgba(89,212,153,0.5)', 'rgba(89,212,153,0.7)', '#59d499'],
  live: '#8ecae6',
  final: '#ffd166',
  field: '236,232,208',
} as const;

/** Trails are drawn for at most this many particles: more only muddies the picture. */
const MAX_TRAILS = 600;
/** Corners per trail; a long run's trail passes through every k-th frame (and the shown one). */
const MAX_TRAIL_POINTS = 120;

export interface Backdrop {
  readonly mixture: readonly MixtureComponent[];
  /** A data set's points, drawn faintly (empirical denoisers have no mixture to show). */
  readonly dataset?: PointCloud;
}

export function drawGrid(context: CanvasRenderingContext2D, view: PlotView, ratio: number): void {
  context.lineWidth = ratio;
  // One grid line per unit, or per power of ten when units would be too dense to read.
  const span = view.xMax - view.xMin;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(span / 4)));
  for (let x = Math.ceil(view.xMin / unit) * unit; x <= view.xMax; x += unit) {
    context.strokeStyle = x === 0 ? 'rgba(255,255,255,0.16)' : 'rgba(255,255,255,0.05)';
    const px = Math.round(toPixelX(view, x)) + 0.5;
    context.beginPath();
    context.moveTo(px, 0);
    context.lineTo(px, view.height);
    context.stroke();
  }
  for (let y = Math.ceil(view.yMin / unit) * unit; y <= view.yMax; y += unit) {
    context.strokeStyle = y === 0 ? 'rgba(255,255,255,0.16)' : 'rgba(255,255,255,0.05)';
    const py = Math.round(toPixelY(view, y)) + 0.5;
    context.beginPath();
    context.moveTo(0, py);
    context.lineTo(view.width, py);
    context.stroke();
  }
}

function drawMixture(
  context: CanvasRenderingContext2D,
  view: PlotView,
  mixture: readonly MixtureComponent[],
): void {
  const pixelsPerUnit = view.width / (view.xMax - view.xMin);
  const heaviest = Math.max(...mixture.map((c) => c.weight));
  for (const component of mixture) {
    const cx = toPixelX(view, component.mean[0]);
    const cy = toPixelY(view, component.mean[1]);
    const radius = 3 * component.std * pixelsPerUnit;
    const strength = 0.35 * (component.weight / heaviest);
    const gradient = context.createRadialGradient(cx, cy, 0, cx, cy, radius);
    // exp(-r²/2σ²) sampled at 0, 1σ, 2σ, 3σ.
    gradient.addColorStop(0, `rgba(${COLOURS.mixture},${strength})`);
    gradient.addColorStop(1 / 3, `rgba(${COLOURS.mixture},${strength * 0.61})`);
    gradient.addColorStop(2 / 3, `rgba(${COLOURS.mixture},${strength * 0.14})`);
    gradient.addColorStop(1, `rgba(${COLOURS.mixture},0)`);
    context.fillStyle = gradient;
    context.beginPath();
    context.arc(cx, cy, radius, 0, 2 * Math.PI);
    context.fill();
  }
}

export function drawBackdrop(
  context: CanvasRenderingContext2D,
  view: PlotView,
  backdrop: Backdrop,
  showData: boolean,
  ratio: number,
): void {
  drawGrid(context, view, ratio);
  if (!showData) return;
  drawMixture(context, view, backdrop.mixture);
  if (backdrop.dataset) drawPoints(context, view, backdrop.dataset, COLOURS.data, 2 * ratio, 1);
}

export function drawPoints(
  context: CanvasRenderingContext2D,
  view: PlotView,
  points: PointCloud,
  colour: string,
  size: number,
  alpha = 0.8,
): void {
  context.fillStyle = colour;
  context.globalAlpha = alpha;
  const { values, count, dim } = points;
  for (let i = 0; i < count; i++) {
    const px = toPixelX(view, values[i * dim]!);
    const py = toPixelY(view, values[i * dim + 1]!);
    if (px < -size || py < -size || px > view.width + size || py > view.height + size) continue;
    context.fillRect(px - size / 2, py - size / 2, size, size);
  }
  context.globalAlpha = 1;
}

/** Each particle's path from the first frame to frame `index`, as one stroked path. */
function drawTrails(
  context: CanvasRenderingContext2D,
  view: PlotView,
  frames: readonly TrajectoryFrame[],
  index: number,
  ratio: number,
): void {
  const first = frames[0];
  if (!first || index < 1) return;
  const { dim, count } = first.points;
  const stride = Math.max(1, Math.ceil(count / MAX_TRAILS));
  const frameStride = Math.max(1, Math.ceil(index / MAX_TRAIL_POINTS));
  const corners: number[] = [];
  for (let k = 0; k < index; k += frameStride) corners.push(k);
  corners.push(index);
  context.strokeStyle = COLOURS.trail;
  context.lineWidth = ratio;
  context.beginPath();
  for (let i = 0; i < count; i += stride) {
    corners.forEach((k, corner) => {
      const values = frames[k]!.points.values;
      const px = toPixelX(view, values[i * dim]!);
      const py = toPixelY(view, values[i * dim + 1]!);
      if (corner === 0) context.moveTo(px, py);
      else context.lineTo(px, py);
    });
  }
  context.stroke();
}

function drawContours(
  context: CanvasRenderingContext2D,
  view: PlotView,
  points: PointCloud,
  ratio: number,
): void {
  const levels = densityContours(points.values, points.dim, view);
  context.lineWidth = 1.25 * ratio;
  levels.forEach((segments, level) => {
    context.strokeStyle = COLOURS.contour[level % COLOURS.contour.length]!;
    context.beginPath();
    for (const [x1, y1, x2, y2] of segments) {
      context.moveTo(toPixelX(view, x1), toPixelY(view, y1));
      context.lineTo(toPixelX(view, x2), toPixelY(view, y2));
    }
    context.stroke();
  });
}

/** Trails, contours and x̂₀ of frame `index`: what lies between the backdrop and the particles. */
export function drawOverlay(
  context: CanvasRenderingContext2D,
  view: PlotView,
  frames: readonly TrajectoryFrame[],
  index: number,
  layers: PreviewLayers,
  ratio: number,
): void {
  const frame = frames[index];
  if (!frame || frame.points.dim < 2) return;
  if (layers.trails) drawTrails(context, view, frames, index, ratio);
  if (layers.contours) drawContours(context, view, frame.points, ratio);
  if (layers.x0hat && frame.x0hat) {
    drawPoints(context, view, frame.x0hat, COLOURS.x0hat, 2.5 * ratio, 0.7);
  }
}

/**
 * The score view's arrows (score-field.ts scaleArrows): each centred on its grid point, a fixed
 * length, its opacity the field's magnitude there relative to the grid's largest.
 */
export function drawField(
  context: CanvasRenderingContext2D,
  view: PlotView,
  arrows: readonly Arrow[],
  ratio: number,
): void {
  const pixelsPerUnit = view.width / (view.xMax - view.xMin);
  context.lineWidth = 1.25 * ratio;
  context.lineCap = 'round';
  for (const arrow of arrows) {
    if (arrow.length <= 0) continue;
    const half = (arrow.length * pixelsPerUnit) / 2;
    // Canvas y grows downwards.
    const dx = arrow.ux * half;
    const dy = -arrow.uy * half;
    const cx = toPixelX(view, arrow.x);
    const cy = toPixelY(view, arrow.y);
    const head = 0.7 * half;
    context.strokeStyle = `rgba(${COLOURS.field},${0.15 + 0.85 * arrow.strength})`;
    context.beginPath();
    context.moveTo(cx - dx, cy - dy);
    context.lineTo(cx + dx, cy + dy);
    // Two barbs at ±25° back from the head.
    for (const angle of [0.44, -0.44]) {
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const bx = (dx * cos - dy * sin) / half;
      const by = (dx * sin + dy * cos) / half;
      context.moveTo(cx + dx, cy + dy);
      context.lineTo(cx + dx - bx * head * 0.6, cy + dy - by * head * 0.6);
    }
    context.stroke();
  }
}

export interface Scene {
  readonly view: PlotView;
  readonly backdrop: Backdrop;
  readonly frames: readonly TrajectoryFrame[];
  readonly index: number;
  readonly layers: PreviewLayers;
  readonly particleColour: string;
}

/** Every layer onto one context (for exports), at one device pixel per canvas pixel. */
export function drawScene(context: CanvasRenderingContext2D, scene: Scene): void {
  const { view } = scene;
  context.fillStyle = COLOURS.background;
  context.fillRect(0, 0, view.width, view.height);
  drawBackdrop(context, view, scene.backdrop, scene.layers.data, 1);
  drawOverlay(context, view, scene.frames, scene.index, scene.layers, 1);
  const frame = scene.frames[scene.index];
  if (frame) drawPoints(context, view, frame.points, scene.particleColour, 2.5);
}
