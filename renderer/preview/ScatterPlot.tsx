// A 2-D scatter plot on two stacked canvases: the target mixture and a grid underneath, the points
// on top. The points canvas carries its data→pixel view in data attributes, so tests and tools can
// check that points landed where the data are.
import { useEffect, useRef, useState } from 'react';
import type { PointCloud } from '../engine/engine-protocol';
import type { MixtureComponent } from './mixture-backdrop';
import { fitView, toPixelX, toPixelY, type DataBounds, type PlotView } from './plot-view';

interface ScatterPlotProps {
  readonly bounds: DataBounds;
  readonly mixture: readonly MixtureComponent[];
  readonly points: PointCloud | undefined;
  readonly pointColour: string;
}

function useDevicePixelSize(element: HTMLElement | null): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const ratio = window.devicePixelRatio || 1;
      setSize({
        width: Math.round(entry.contentRect.width * ratio),
        height: Math.round(entry.contentRect.height * ratio),
      });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

function drawGrid(context: CanvasRenderingContext2D, view: PlotView): void {
  const ratio = window.devicePixelRatio || 1;
  context.lineWidth = ratio;
  for (let x = Math.ceil(view.xMin); x <= view.xMax; x++) {
    context.strokeStyle = x === 0 ? 'rgba(255,255,255,0.16)' : 'rgba(255,255,255,0.05)';
    const px = Math.round(toPixelX(view, x)) + 0.5;
    context.beginPath();
    context.moveTo(px, 0);
    context.lineTo(px, view.height);
    context.stroke();
  }
  for (let y = Math.ceil(view.yMin); y <= view.yMax; y++) {
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
    gradient.addColorStop(0, `rgba(179,136,255,${strength})`);
    gradient.addColorStop(1 / 3, `rgba(179,136,255,${strength * 0.61})`);
    gradient.addColorStop(2 / 3, `rgba(179,136,255,${strength * 0.14})`);
    gradient.addColorStop(1, 'rgba(179,136,255,0)');
    context.fillStyle = gradient;
    context.beginPath();
    context.arc(cx, cy, radius, 0, 2 * Math.PI);
    context.fill();
  }
}

function drawPoints(
  context: CanvasRenderingContext2D,
  view: PlotView,
  points: PointCloud,
  colour: string,
): void {
  const size = 2.5 * (window.devicePixelRatio || 1);
  context.fillStyle = colour;
  context.globalAlpha = 0.8;
  const { values, count, dim } = points;
  for (let i = 0; i < count; i++) {
    const px = toPixelX(view, values[i * dim]!);
    const py = toPixelY(view, values[i * dim + 1]!);
    if (px < -size || py < -size || px > view.width + size || py > view.height + size) continue;
    context.fillRect(px - size / 2, py - size / 2, size, size);
  }
  context.globalAlpha = 1;
}

export function ScatterPlot({ bounds, mixture, points, pointColour }: ScatterPlotProps) {
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const backdropCanvas = useRef<HTMLCanvasElement>(null);
  const pointsCanvas = useRef<HTMLCanvasElement>(null);
  const { width, height } = useDevicePixelSize(container);
  const view = width > 0 && height > 0 ? fitView(bounds, width, height) : undefined;

  useEffect(() => {
    const context = backdropCanvas.current?.getContext('2d');
    if (!context || !view) return;
    context.clearRect(0, 0, view.width, view.height);
    drawGrid(context, view);
    drawMixture(context, view, mixture);
  }, [view?.width, view?.height, bounds, mixture]);

  useEffect(() => {
    const context = pointsCanvas.current?.getContext('2d');
    if (!context || !view) return;
    context.clearRect(0, 0, view.width, view.height);
    if (points && points.dim >= 2) drawPoints(context, view, points, pointColour);
  }, [view?.width, view?.height, bounds, points, pointColour]);

  return (
    <div className="scatter" ref={setContainer}>
      <canvas ref={backdropCanvas} width={width} height={height} className="scatter-layer" />
      <canvas
        ref={pointsCanvas}
        width={width}
        height={height}
        className="scatter-layer"
        data-testid="scatter-points"
        data-view={view ? JSON.stringify(view) : undefined}
        data-point-count={points?.count ?? 0}
      />
    </div>
  );
}
