// A preset's thumbnail is its own graph in miniature: each node a box in its kind's colour at its
// canvas position, each wire a curve. It needs no run, so the gallery opens instantly, and it shows
// what a preset is made of, which is what choosing between pipelines is about.
import { catalogue, type GraphDocument } from '../../graph-nodes';
import { NODE_KIND_COLOURS, UNKNOWN_COLOUR } from '../canvas/palette';

export const THUMBNAIL_WIDTH = 240;
export const THUMBNAIL_HEIGHT = 120;
/** A node card's footprint on the canvas, in canvas units. */
const CARD = { width: 210, height: 110 };
const PADDING = 10;

export interface ThumbnailBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly colour: string;
}

export interface Thumbnail {
  readonly boxes: readonly ThumbnailBox[];
  /** SVG path data, one cubic curve per wire, from an output's right edge to an input's left. */
  readonly wires: readonly string[];
}

export function graphThumbnail(document: GraphDocument): Thumbnail {
  if (document.nodes.length === 0) return { boxes: [], wires: [] };
  const xs = document.nodes.map((node) => node.position.x);
  const ys = document.nodes.map((node) => node.position.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX + CARD.width;
  const spanY = Math.max(...ys) - minY + CARD.height;
  const scale = Math.min(
    (THUMBNAIL_WIDTH - 2 * PADDING) / spanX,
    (THUMBNAIL_HEIGHT - 2 * PADDING) / spanY,
  );
  // Centre the drawing in the frame.
  const offsetX = (THUMBNAIL_WIDTH - spanX * scale) / 2;
  const offsetY = (THUMBNAIL_HEIGHT - spanY * scale) / 2;
  const round = (value: number) => Math.round(value * 10) / 10;

  const boxes = document.nodes.map((node) => {
    const kind = catalogue.get(node.type)?.kind;
    return {
      id: node.id,
      x: round(offsetX + (node.position.x - minX) * scale),
      y: round(offsetY + (node.position.y - minY) * scale),
      width: round(CARD.width * scale),
      height: round(CARD.height * scale),
      colour: kind ? NODE_KIND_COLOURS[kind] : UNKNOWN_COLOUR,
    };
  });
  const byId = new Map(boxes.map((box) => [box.id, box]));
  const wires = document.edges.flatMap((edge) => {
    const from = byId.get(edge.from.node);
    const to = byId.get(edge.to.node);
    if (!from || !to) return [];
    const x1 = round(from.x + from.width);
    const y1 = round(from.y + from.height / 2);
    const x2 = to.x;
    const y2 = round(to.y + to.height / 2);
    const bend = round(Math.max(12, Math.abs(x2 - x1) / 2));
    return [`M${x1},${y1} C${round(x1 + bend)},${y1} ${round(x2 - bend)},${y2} ${x2},${y2}`];
  });
  return { boxes, wires };
}
