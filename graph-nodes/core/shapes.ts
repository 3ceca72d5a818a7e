// The per-point shape S that samples, data sets and trajectories carry: [2] for a point in the
// plane, [784] for a flat vector, [1, 28, 28] for a one-channel image, [3, 32, 32] for an RGB one.
// Tensors on wires stay [n, d] with d = size(S) (row-major, C order), so solvers and metrics never
// see S; models that need the layout (an ONNX U-Net) and previews that draw it read it.
//
// A flat shape [d] claims no layout, so it agrees with any shape of d values; two layouts agree
// only when they are equal. This one rule decides wires at compile time and values at run time.
import type { TileLayout } from '../math/image-grid';

export type PointShape = readonly number[];

/** Largest rank accepted: .npy allows 32 axes, and no image model needs more than a few. */
export const MAX_POINT_RANK = 8;

export function shapeSize(shape: PointShape): number {
  return shape.reduce((product, size) => product * size, 1);
}

export function formatShape(shape: PointShape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: PointShape, b: PointShape): boolean {
  return a.length === b.length && a.every((size, axis) => size === b[axis]);
}

/** Why a shape cannot describe points, or undefined when it can. */
export function shapeProblem(shape: readonly unknown[]): string | undefined {
  if (shape.length === 0) return 'a point shape needs at least one axis';
  if (shape.length > MAX_POINT_RANK) {
    return `a point shape has at most ${MAX_POINT_RANK} axes (got ${shape.length})`;
  }
  const bad = shape.find((size) => !(Number.isInteger(size) && (size as number) >= 1));
  if (bad !== undefined) return `every axis needs a whole size ≥ 1 (got ${String(bad)})`;
  return undefined;
}

/**
 * The shape two agreeing shapes share — the one with a layout when the other is flat — or
 * undefined when they disagree (different sizes, or two different layouts).
 */
export function unifyShapes(a: PointShape, b: PointShape): PointShape | undefined {
  if (sameShape(a, b)) return a;
  if (shapeSize(a) !== shapeSize(b)) return undefined;
  if (a.length === 1) return b;
  if (b.length === 1) return a;
  return undefined;
}

/** A value on a port, for messages: its name and its per-point shape. */
export interface ShapedPort {
  /** How the message names it, e.g. 'input "noise"'. */
  readonly what: string;
  readonly shape: PointShape;
}

export function shapeMismatchMessage(a: ShapedPort, b: ShapedPort): string {
  const sizes =
    shapeSize(a.shape) === shapeSize(b.shape)
      ? 'the same number of values laid out differently'
      : `${shapeSize(a.shape)} values per point against ${shapeSize(b.shape)}`;
  return (
    `${a.what} has per-point shape ${formatShape(a.shape)} but ${b.what} has ` +
    `${formatShape(b.shape)} (${sizes}); connect values of the same shape`
  );
}

/** The shape of a [n, ...S] array's points, for arrays read from files. */
export function pointShapeOfArray(arrayShape: readonly number[]): PointShape {
  return arrayShape.length <= 1 ? [1] : arrayShape.slice(1);
}

/**
 * How a point of this shape is drawn as an image, if it is one: [H, W] or [1, H, W] is gray,
 * [3, H, W] is RGB (channels first, as PyTorch lays images out). A flat vector whose length is a
 * square of side ≥ 4 is drawn as a gray square, as flattened images usually are.
 */
export function imageLayout(shape: PointShape): TileLayout | undefined {
  const [a, b, c] = shape;
  if (shape.length === 1 && a !== undefined) {
    const side = Math.round(Math.sqrt(a));
    return side >= 4 && side * side === a ? { channels: 1, height: side, width: side } : undefined;
  }
  if (shape.length === 2 && a !== undefined && b !== undefined) {
    return { channels: 1, height: a, width: b };
  }
  if (shape.length === 3 && (a === 1 || a === 3) && b !== undefined && c !== undefined) {
    return { channels: a, height: b, width: c };
  }
  return undefined;
}
