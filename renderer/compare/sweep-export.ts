// The sweep's exports: its table as CSV, its chart as SVG (the very text on screen) and as PNG
// (that SVG drawn onto a canvas at twice the size, for slides).
import { sweepCsv, type SweepResult } from '../../graph-nodes';
import { documentBaseName as baseName } from '../files/file-store';
import { downloadBytes } from '../platform/browser-files';

export function exportSweepCsv(result: SweepResult): void {
  downloadBytes(`${baseName()}-sweep.csv`, new TextEncoder().encode(sweepCsv(result)), 'text/csv');
}

export function exportChartSvg(svg: string): void {
  downloadBytes(`${baseName()}-sweep-chart.svg`, new TextEncoder().encode(svg), 'image/svg+xml');
}

export async function chartPng(svg: string, width: number, height: number): Promise<Uint8Array> {
  const scale = 2;
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw the chart on a canvas');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/png'));
  if (!blob) throw new Error('the chart could not be encoded as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

export async function exportChartPng(svg: string, width: number, height: number): Promise<void> {
  downloadBytes(`${baseName()}-sweep-chart.png`, await chartPng(svg, width, height), 'image/png');
}
