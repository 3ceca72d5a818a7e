// What the UI gets to see of a coupling π (an optimal-transport plan): never the n × m matrix
// itself (a 500 × 500 plan is 250 000 float64, a 4096² one 134 MB), but its heaviest entries
// (overall, and each point's own: planLines) as line segments between the points' first two
// coordinates, the points themselves, a block-mean
// heat map no larger than MAX_HEAT_SIDE² and, for images, the heaviest pairs' images. All of it is
// computed here, in the worker, in one pass over π; the UI thread only draws. Pure, so it can be
// tested without a worker.
import type { Coupling } from '../../graph-nodes/core/values';
import { imageLayout, type PointShape } from '../../graph-nodes/core/shapes';
import type { CouplingPreview, PointCloud } from './engine-protocol';

/** Entries of π the dock draws as lines (the heaviest ones). */
export const MAX_PLAN_LINES = 20_000;
/** Points of each cloud sent with the plan (spread through the cloud when there are more). */
export const MAX_PLAN_POINTS = 20_000;
/** Cells along each side of the heat map; larger plans are shown as block means. */
export const MAX_HEAT_SIDE = 256;
/** Source → target image pairs sent for image-shaped points (the heaviest pairs). */
export const MAX_PAIR_IMAGES = 8;

/** Entries of a plan, heaviest first: row (source) and column (target) indices and mass. */
export interface PlanEntries {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly mass: Float64Array;
  /** How many entries of the plan are > 0 (its support). */
  readonly support: number;
}

/** Plans up to this many entries are searched by selection on a copy (8 bytes an entry). */
const SELECT_ON_COPY_LIMIT = 1 << 22;

/**
 * The `k` heaviest positive entries of a row-major n × m plan, heaviest first (ties by index).
 * Up to SELECT_ON_COPY_LIMIT entries: the k-th largest by selection on a copy, one pass to
 * collect the entries at or above it, and a native sort of the k masses (≈ 5 ms for 500 × 500,
 * k = 20 000); larger plans: a bounded heap, which needs no copy (heaviestByHeap).
 */
export function heaviestEntries(
  plan: ArrayLike<number>,
  n: number,
  m: number,
  k: number,
): PlanEntries {
  const size = n * m;
  if (size > SELECT_ON_COPY_LIMIT) return heaviestByHeap(plan, n, m, k);
  const capacity = Math.max(0, Math.min(k, size));
  // τ: the k-th largest value (every positive entry when there are no more than k).
  let threshold = 0;
  if (capacity > 0 && capacity < size) {
    const copy = plan instanceof Float64Array ? plan.slice() : Float64Array.from(plan);
    selectAscending(copy, size - capacity);
    threshold = copy[size - capacity]!;
  }
  let support = 0;
  let above = 0;
  for (let index = 0; index < size; index++) {
    const mass = plan[index]!;
    if (mass > 0) support++;
    if (mass > threshold) above++;
  }
  // Entries above τ all belong; entries equal to τ fill the rest in index order.
  const count = Math.min(capacity, support);
  const ties = threshold > 0 ? count - above : 0;
  const indices = new Int32Array(count);
  const masses = new Float64Array(count);
  let filled = 0;
  let tiesLeft = ties;
  for (let index = 0; index < size && filled < count; index++) {
    const mass = plan[index]!;
    if (mass > threshold && mass > 0) {
      indices[filled] = index;
      masses[filled++] = mass;
    } else if (tiesLeft > 0 && mass === threshold) {
      indices[filled] = index;
      masses[filled++] = mass;
      tiesLeft--;
    }
  }
  return rankEntries(indices, masses, m, support);
}

/**
 * Entries collected in index order put heaviest first, equal masses keeping index order: a native
 * sort of the masses, then each entry to the next free place of its mass (binary search).
 */
function rankEntries(
  indices: Int32Array | Float64Array,
  masses: Float64Array,
  m: number,
  support: number,
): PlanEntries {
  const count = masses.length;
  const sorted = masses.slice().sort(); // ascending; rank r is sorted[count − 1 − r]
  const placed = new Int32Array(count);
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  const mass = new Float64Array(count);
  for (let e = 0; e < count; e++) {
    const value = masses[e]!;
    // The last position in ascending order holding `value` is its first rank in descending.
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (sorted[middle]! <= value) low = middle;
      else high = middle - 1;
    }
    const first = count - 1 - low;
    const rank = first + placed[first]!++;
    const index = indices[e]!;
    rows[rank] = Math.floor(index / m);
    cols[rank] = index - rows[rank]! * m;
    mass[rank] = value;
  }
  return { rows, cols, mass, support };
}

/**
 * Reorders `values` so that values[target] holds the value it would hold sorted ascending, with
 * nothing larger before it and nothing smaller after (Floyd–Rivest selection, O(length)).
 */
function selectAscending(
  values: Float64Array,
  target: number,
  left = 0,
  right = values.length - 1,
): void {
  while (right > left) {
    if (right - left > 600) {
      // Narrow the search to where a sample says values[target] lies, then partition there.
      const span = right - left + 1;
      const position = target - left + 1;
      const z = Math.log(span);
      const sample = 0.5 * Math.exp((2 * z) / 3);
      const deviation =
        0.5 * Math.sqrt((z * sample * (span - sample)) / span) * (position < span / 2 ? -1 : 1);
      selectAscending(
        values,
        target,
        Math.max(left, Math.floor(target - (position * sample) / span + deviation)),
        Math.min(right, Math.floor(target + ((span - position) * sample) / span + deviation)),
      );
    }
    const pivot = values[target]!;
    let i = left;
    let j = right;
    swapValues(values, left, target);
    if (values[right]! > pivot) swapValues(values, left, right);
    while (i < j) {
      swapValues(values, i, j);
      i++;
      j--;
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
    }
    if (values[left] === pivot) swapValues(values, left, j);
    else swapValues(values, ++j, right);
    if (j <= target) left = j + 1;
    if (target <= j) right = j - 1;
  }
}

function swapValues(values: Float64Array, a: number, b: number): void {
  const value = values[a]!;
  values[a] = values[b]!;
  values[b] = value;
}

/**
 * heaviestEntries for plans too large to copy: a bounded min-heap, O(n·m) comparisons plus
 * O(log k) for each entry that enters it, and O(k) memory.
 */
export function heaviestByHeap(
  plan: ArrayLike<number>,
  n: number,
  m: number,
  k: number,
): PlanEntries {
  const size = n * m;
  const capacity = Math.max(0, Math.min(k, size));
  const heapMass = new Float64Array(capacity);
  const heapIndex = new Float64Array(capacity);
  let count = 0;
  let support = 0;
  // A min-heap on (mass, then larger index = lighter), so the root is the entry to drop first.
  const lighter = (a: number, b: number): boolean =>
    heapMass[a]! < heapMass[b]! || (heapMass[a] === heapMass[b] && heapIndex[a]! > heapIndex[b]!);
  const swap = (a: number, b: number): void => {
    const mass = heapMass[a]!;
    heapMass[a] = heapMass[b]!;
    heapMass[b] = mass;
    const index = heapIndex[a]!;
    heapIndex[a] = heapIndex[b]!;
    heapIndex[b] = index;
  };
  for (let index = 0; index < size; index++) {
    const mass = plan[index]!;
    if (!(mass > 0)) continue;
    support++;
    if (count < capacity) {
      heapMass[count] = mass;
      heapIndex[count] = index;
      let node = count++;
      while (node > 0) {
        const parent = (node - 1) >> 1;
        if (!lighter(node, parent)) break;
        swap(node, parent);
        node = parent;
      }
    } else if (capacity > 0 && mass > heapMass[0]!) {
      heapMass[0] = mass;
      heapIndex[0] = index;
      let node = 0;
      for (;;) {
        const left = 2 * node + 1;
        if (left >= count) break;
        const right = left + 1;
        const child = right < count && lighter(right, left) ? right : left;
        if (!lighter(child, node)) break;
        swap(child, node);
        node = child;
      }
    }
  }
  // Back into index order, which rankEntries expects of equal masses.
  const order = Array.from({ length: count }, (_, slot) => slot).sort(
    (a, b) => heapIndex[a]! - heapIndex[b]!,
  );
  return rankEntries(
    Float64Array.from(order, (slot) => heapIndex[slot]!),
    Float64Array.from(order, (slot) => heapMass[slot]!),
    m,
    support,
  );
}

/** Per-point quotas up to this size are kept in a short sorted list rather than selected. */
const SMALL_QUOTA = 64;

/** The lines the dock draws of a plan, and how they were chosen. */
export interface PlanLines extends PlanEntries {
  /** Besides the heaviest entries overall: each source point's heaviest, and each target's. */
  readonly perSource: number;
  readonly perTarget: number;
}

/**
 * Up to `k` entries to draw as lines, heaviest first: the k/2 heaviest overall, and each source
 * point's k/(4n) heaviest and each target point's k/(4m) heaviest. Every point carries the same
 * mass (1/n or 1/m), but a point that spreads it thinly has no entry among the heaviest overall:
 * without its own quota it would show no line at all, as if it sent nothing. Plans of at most k
 * entries are drawn whole; plans too large to copy (SELECT_ON_COPY_LIMIT) by their heaviest.
 */
export function planLines(plan: ArrayLike<number>, n: number, m: number, k: number): PlanLines {
  const size = n * m;
  const perSource = Math.floor(k / 4 / n);
  const perTarget = Math.floor(k / 4 / m);
  if (size <= k || size > SELECT_ON_COPY_LIMIT || (perSource === 0 && perTarget === 0)) {
    return { ...heaviestEntries(plan, n, m, k), perSource: 0, perTarget: 0 };
  }
  const overall = heaviestEntries(plan, n, m, Math.ceil(k / 2));
  const chosen = new Uint8Array(size);
  overall.rows.forEach((i, rank) => (chosen[i * m + overall.cols[rank]!] = 1));
  const scratch = new Float64Array(Math.max(n, m));
  const topMass = new Float64Array(SMALL_QUOTA);
  const topIndex = new Int32Array(SMALL_QUOTA);
  // Marks the `quota` heaviest positive entries of the line of `length` entries at
  // start, start + stride, …, ties by index.
  const markHeaviest = (start: number, stride: number, length: number, quota: number): void => {
    if (quota === 0) return;
    if (quota <= SMALL_QUOTA) {
      // A short list kept sorted, heaviest first: most entries cost one comparison.
      let count = 0;
      for (let t = 0; t < length; t++) {
        const index = start + t * stride;
        const mass = plan[index]!;
        if (!(mass > 0) || (count === quota && !(mass > topMass[quota - 1]!))) continue;
        let place = count < quota ? count++ : quota - 1;
        // Equal masses stay in index order: only strictly lighter ones move down.
        while (place > 0 && topMass[place - 1]! < mass) {
          topMass[place] = topMass[place - 1]!;
          topIndex[place] = topIndex[place - 1]!;
          place--;
        }
        topMass[place] = mass;
        topIndex[place] = index;
      }
      for (let r = 0; r < count; r++) chosen[topIndex[r]!] = 1;
      return;
    }
    const line = scratch.subarray(0, length);
    for (let t = 0; t < length; t++) line[t] = plan[start + t * stride]!;
    let threshold = 0;
    if (quota < length) {
      selectAscending(line, length - quota);
      threshold = line[length - quota]!;
    }
    let above = 0;
    for (let t = 0; t < length; t++) if (plan[start + t * stride]! > threshold) above++;
    let ties = threshold > 0 ? quota - above : 0;
    for (let t = 0; t < length; t++) {
      const index = start + t * stride;
      const mass = plan[index]!;
      if (mass > threshold && mass > 0) chosen[index] = 1;
      else if (ties > 0 && mass === threshold) {
        chosen[index] = 1;
        ties--;
      }
    }
  };
  for (let i = 0; i < n; i++) markHeaviest(i * m, 1, m, perSource);
  for (let j = 0; j < m; j++) markHeaviest(j, m, n, perTarget);
  let count = 0;
  for (let index = 0; index < size; index++) count += chosen[index]!;
  const indices = new Int32Array(count);
  const masses = new Float64Array(count);
  let filled = 0;
  for (let index = 0; index < size; index++) {
    if (!chosen[index]) continue;
    indices[filled] = index;
    masses[filled++] = plan[index]!;
  }
  return { ...rankEntries(indices, masses, m, overall.support), perSource, perTarget };
}

/** A plan shown as an image: each cell the mean of π over a rowBlock × colBlock block. */
export interface PlanHeatMap {
  readonly rows: number;
  readonly cols: number;
  /** Source points per cell row and target points per cell column. */
  readonly rowBlock: number;
  readonly colBlock: number;
  /** [rows, cols] row-major: mean mass per entry of the block (the entry itself when blocks are 1). */
  readonly values: Float32Array;
}

/** The plan's block means, at most `maxSide` cells a side, rows and columns in input order. */
export function planHeatMap(
  plan: ArrayLike<number>,
  n: number,
  m: number,
  maxSide = MAX_HEAT_SIDE,
): PlanHeatMap {
  const rowBlock = Math.max(1, Math.ceil(n / maxSide));
  const colBlock = Math.max(1, Math.ceil(m / maxSide));
  const rows = Math.ceil(n / rowBlock);
  const cols = Math.ceil(m / colBlock);
  const sums = new Float64Array(rows * cols);
  for (let i = 0; i < n; i++) {
    const offset = Math.floor(i / rowBlock) * cols;
    const start = i * m;
    if (colBlock === 1) {
      for (let j = 0; j < m; j++) sums[offset + j]! += plan[start + j]!;
    } else {
      for (let j = 0; j < m; j++) sums[offset + Math.floor(j / colBlock)]! += plan[start + j]!;
    }
  }
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const height = Math.min(rowBlock, n - r * rowBlock);
    for (let c = 0; c < cols; c++) {
      const width = Math.min(colBlock, m - c * colBlock);
      values[r * cols + c] = sums[r * cols + c]! / (height * width);
    }
  }
  return { rows, cols, rowBlock, colBlock, values };
}

/**
 * Point i's position in the plane: its first two coordinates; a 1-D cloud is drawn on a line
 * (`level` is its height: 0 for the source, 1 for the target, the classic 1-D transport picture).
 */
function planeX(points: Float64Array, dim: number, i: number): number {
  return points[i * dim]!;
}
function planeY(points: Float64Array, dim: number, i: number, level: number): number {
  return dim >= 2 ? points[i * dim + 1]! : level;
}

/** Up to `cap` points' plane positions, [rows, 2], spread evenly through the cloud. */
export function planePoints(
  points: Float64Array,
  count: number,
  dim: number,
  level: number,
  cap = MAX_PLAN_POINTS,
): Float32Array {
  const rows = Math.min(count, cap);
  const out = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const i = rows === count ? r : Math.floor((r * count) / rows);
    out[2 * r] = planeX(points, dim, i);
    out[2 * r + 1] = planeY(points, dim, i, level);
  }
  return out;
}

/** The values of the points planePoints keeps (the same rows, in the same order). */
export function planeValues(values: Float64Array, cap = MAX_PLAN_POINTS): Float32Array {
  const count = values.length;
  const rows = Math.min(count, cap);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++)
    out[r] = values[rows === count ? r : Math.floor((r * count) / rows)]!;
  return out;
}

/** The images of points `indices` of a cloud, as a cloud of their own. */
function imagesOf(
  points: Float64Array,
  dim: number,
  shape: PointShape,
  indices: Int32Array,
): PointCloud {
  const values = new Float32Array(indices.length * dim);
  indices.forEach((i, k) => values.set(points.subarray(i * dim, (i + 1) * dim), k * dim));
  return { values, count: indices.length, dim, shape };
}

/** The bounded picture of a coupling the dock and the node card draw (module comment). */
export function couplingPreviewOf(
  coupling: Coupling,
  limits: { lines?: number; points?: number; heatSide?: number } = {},
): CouplingPreview {
  const { n, m, dim, plan, source, target, shape } = coupling;
  const entries = planLines(plan, n, m, limits.lines ?? MAX_PLAN_LINES);
  const count = entries.mass.length;
  const segments = new Float32Array(count * 4);
  let shownMass = 0;
  for (let k = 0; k < count; k++) {
    const i = entries.rows[k]!;
    const j = entries.cols[k]!;
    segments[4 * k] = planeX(source, dim, i);
    segments[4 * k + 1] = planeY(source, dim, i, 0);
    segments[4 * k + 2] = planeX(target, dim, j);
    segments[4 * k + 3] = planeY(target, dim, j, 1);
    shownMass += entries.mass[k]!;
  }
  const pairs = Math.min(count, MAX_PAIR_IMAGES);
  const images = imageLayout(shape)
    ? {
        source: imagesOf(source, dim, shape, entries.rows.slice(0, pairs)),
        target: imagesOf(target, dim, shape, entries.cols.slice(0, pairs)),
      }
    : undefined;
  return {
    kind: 'coupling',
    n,
    m,
    dim,
    shape,
    epsilon: coupling.epsilon,
    reference: coupling.reference.kind,
    source: planePoints(source, n, dim, 0, limits.points),
    target: planePoints(target, m, dim, 1, limits.points),
    lines: {
      segments,
      mass: entries.mass,
      rows: entries.rows,
      cols: entries.cols,
      perSource: entries.perSource,
      perTarget: entries.perTarget,
    },
    maxMass: entries.mass[0] ?? 0,
    shownMass,
    support: entries.support,
    heat: planHeatMap(plan, n, m, limits.heatSide),
    ...(coupling.f && coupling.g
      ? {
          potentials: {
            f: planeValues(coupling.f, limits.points),
            g: planeValues(coupling.g, limits.points),
          },
        }
      : {}),
    ...(images ? { pairImages: images } : {}),
    values: { ...coupling.values },
  };
}

/** The buffers of a coupling preview, to transfer rather than copy across the worker boundary. */
export function couplingPreviewBuffers(preview: CouplingPreview): ArrayBuffer[] {
  const arrays = [
    preview.source,
    preview.target,
    preview.lines.segments,
    preview.lines.mass,
    preview.lines.rows,
    preview.lines.cols,
    preview.heat.values,
    ...(preview.potentials ? [preview.potentials.f, preview.potentials.g] : []),
    ...(preview.pairImages
      ? [preview.pairImages.source.values, preview.pairImages.target.values]
      : []),
  ];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
