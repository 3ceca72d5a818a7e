// The exact transportation problem
//   min Σ_ij π_ij c_ij   s.t.  Σ_j π_ij = a_i,  Σ_i π_ij = b_j,  π ≥ 0
// by the network simplex method, in float64.
//
// The problem is min-cost flow on the complete bipartite graph: source i supplies a_i, target j
// demands b_j, and arc i → j carries π_ij at cost c_ij. A basis is a spanning tree of the n + m
// nodes (n + m − 1 arcs): its flows follow from the marginals alone, and its potentials (f on
// sources, g on targets) from f_i + g_j = c_ij on the tree arcs with f_root = 0. The basis is
// optimal when no arc has a negative reduced cost r_ij = c_ij − f_i − g_j, and then (f, g) is a
// dual optimum: feasible everywhere and tight on the support (which lies in the tree).
//
// A pivot brings in an arc with r_ij < 0, pushes flow θ round the cycle it closes in the tree
// (up on arcs oriented with the cycle, down on the others) until an arc blocks at zero, and
// swaps that arc out. The subtree cut off by the leaving arc is rehung from the entering one,
// and only its potentials change.
//
// Degeneracy. Transport problems are massively degenerate (equal weights make θ = 0 the common
// case), where the plain simplex can cycle. Cunningham's strongly feasible trees prevent that
// ("A network simplex method", Math. Programming 11, 1976; Ahuja, Magnanti & Orlin, "Network
// Flows", 1993, §11.5): every zero-flow tree arc points towards the root, and the leaving arc is
// the last blocking arc met walking the cycle from its apex in the direction of the flow. The
// initial basis below is strongly feasible by construction, the rule keeps it so, and then every
// degenerate pivot moves the sum of the potentials strictly one way, so no basis repeats (the
// tests' random square problems do cycle when the rule is broken). In float64 the rule stays
// exact: flows only move by ±θ, x − θ is 0 exactly when x = θ, and zero flows stay 0.
//
// Pricing is Grigoriadis's block search (as in LEMON): scan the arcs cyclically in blocks of
// ~√(nm) and enter the most negative arc of the first block that has one.

import type { ResolvedOtProblem } from './ot-problem';

export interface TransportSimplexSolution {
  /** π, row-major [n, m]; its nonzeros lie on the final tree. */
  readonly plan: Float64Array;
  /** Source potentials: f_i + g_j = c_ij on the tree, ≤ c_ij + 1e-13 max|c| elsewhere. */
  readonly f: Float64Array;
  /** Target potentials. */
  readonly g: Float64Array;
  readonly pivots: number;
}

/** An arc enters only if r_ij < −this × max |c|: below it, r is rounding noise. */
const REDUCED_COST_TOLERANCE = 1e-13;
/** Block size = this × √(number of arcs). */
const BLOCK_SIZE_FACTOR = 1;
const MIN_BLOCK_SIZE = 10;

/** Solves the transportation problem exactly (to rounding); any n, m ≥ 1. */
export function solveTransportSimplex(
  problem: ResolvedOtProblem,
  maxPivots = defaultMaxPivots(problem.n, problem.m),
): TransportSimplexSolution {
  const tree = new SpanningTree(problem);
  tree.northWestCorner(problem.a, problem.b);
  tree.computePotentials();
  const pricing = new BlockPricing(problem.n, problem.m, problem.cost);
  let pivots = 0;
  for (;;) {
    const entering = pricing.findEntering(tree.potential);
    if (entering < 0) break;
    if (pivots >= maxPivots) {
      throw new Error(
        `exact OT: the network simplex did not converge in ${maxPivots} pivots (${problem.n} × ${problem.m})`,
      );
    }
    tree.pivot(entering);
    pivots++;
  }
  return { ...tree.solution(), pivots };
}

/**
 * A cap that the strongly feasible simplex never comes near (it needs ~10 × (n + m) pivots on
 * random problems, fewer on degenerate ones), there only to turn a bug into an error, not a hang.
 */
function defaultMaxPivots(n: number, m: number): number {
  return 1000 * (n + m) + 10_000;
}

/**
 * The basis tree over nodes 0…n−1 (sources) and n…n+m−1 (targets), rooted at source 0. Each
 * non-root node v stores its parent and the flow on the arc between them; that arc is c's entry
 * (source, target) of the pair, so it points up (towards the root) exactly when v is a source.
 * Children are doubly linked sibling lists, so rehanging a subtree costs O(its path) and
 * traversing it O(its size).
 */
class SpanningTree {
  readonly potential: Float64Array;
  private readonly n: number;
  private readonly m: number;
  private readonly cost: Float64Array;
  private readonly parent: Int32Array;
  private readonly flow: Float64Array;
  private readonly depth: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly previousSibling: Int32Array;
  private readonly stack: Int32Array;

  constructor(problem: ResolvedOtProblem) {
    const { n, m, cost } = problem;
    const nodes = n + m;
    this.n = n;
    this.m = m;
    this.cost = cost;
    this.potential = new Float64Array(nodes);
    this.parent = new Int32Array(nodes).fill(-1);
    this.flow = new Float64Array(nodes);
    this.depth = new Int32Array(nodes);
    this.firstChild = new Int32Array(nodes).fill(-1);
    this.nextSibling = new Int32Array(nodes).fill(-1);
    this.previousSibling = new Int32Array(nodes).fill(-1);
    this.stack = new Int32Array(nodes);
  }

  /**
   * The north-west corner rule: walk the n × m table from (0, 0), giving each cell
   * min(remaining a_i, remaining b_j) and stepping down when the row is used up, right when the
   * column is. Each step adds one new node under the one it shares with the previous cell, so the
   * cells form a spanning tree rooted at source 0. When a row and a column run out together the
   * next cell (zero flow) is taken downwards: the new source hangs below target j and its arc
   * points up, the root-ward orientation that strong feasibility asks of zero-flow arcs. The last
   * row and column take whatever is left, so rounding never strands mass or adds zero arcs.
   */
  northWestCorner(a: Float64Array, b: Float64Array): void {
    const { n, m } = this;
    let i = 0;
    let j = 0;
    let restA = a[0]!;
    let restB = b[0]!;
    let child = n; // cell (0, 0): target 0 under source 0
    let parent = 0;
    for (;;) {
      const x = i === n - 1 ? restB : j === m - 1 ? restA : Math.min(restA, restB);
      this.attach(child, parent, x);
      if (i === n - 1 && j === m - 1) return;
      restA -= x;
      restB -= x;
      if (i < n - 1 && (j === m - 1 || restA <= restB)) {
        i++;
        restA = a[i]!;
        child = i;
        parent = n + j;
      } else {
        j++;
        restB = b[j]!;
        child = n + j;
        parent = i;
      }
    }
  }

  /** Potentials of the whole tree from f_0 = 0 (and depths). */
  computePotentials(): void {
    this.potential[0] = 0;
    this.depth[0] = 0;
    this.relabelSubtreeBelow(0);
  }

  /**
   * One pivot on `arc` = (source, target), of negative reduced cost: find the cycle, push θ
   * round it, swap the leaving arc for the entering one, and recompute the potentials of the
   * rehung subtree along the tree (rather than shifting them by r, which would let rounding
   * drift accumulate over many pivots).
   */
  pivot(arc: number): void {
    const { n, m, parent, flow } = this;
    const source = Math.floor(arc / m);
    const target = n + (arc - source * m);
    const apex = this.apex(source, target);
    // The cycle runs apex → … → source → target → … → apex. Walking up from `source` we cross
    // arcs against the cycle's direction where the child is a source (its arc points up but the
    // cycle goes down it); from `target`, where the child is a target. Those arcs lose θ.
    // Leaving arc: the last blocking one along the cycle from the apex, i.e. on the target side
    // the one nearest the apex (≤ while walking up), else on the source side the one nearest
    // `source` (strict <).
    let theta = Infinity;
    let leaving = -1;
    let leavingOnTargetSide = false;
    for (let v = source; v !== apex; v = parent[v]!) {
      if (v < n && flow[v]! < theta) {
        theta = flow[v]!;
        leaving = v;
      }
    }
    for (let v = target; v !== apex; v = parent[v]!) {
      if (v >= n && flow[v]! <= theta) {
        theta = flow[v]!;
        leaving = v;
        leavingOnTargetSide = true;
      }
    }
    if (theta > 0) this.pushRoundCycle(source, target, apex, theta);
    flow[leaving] = 0;
    const [inside, outside] = leavingOnTargetSide ? [target, source] : [source, target];
    this.rehang(leaving, inside, outside, theta);
    this.depth[inside] = this.depth[outside]! + 1;
    this.potential[inside] =
      this.cost[arcIndexOf(inside, outside, n, m)]! - this.potential[outside]!;
    this.relabelSubtreeBelow(inside);
  }

  /** π on the tree arcs, and the potentials split into f (sources) and g (targets). */
  solution(): { plan: Float64Array; f: Float64Array; g: Float64Array } {
    const { n, m, parent, flow } = this;
    const plan = new Float64Array(n * m);
    for (let v = 1; v < n + m; v++) {
      const x = flow[v]!;
      if (x > 0) plan[arcIndexOf(v, parent[v]!, n, m)] = x;
    }
    return {
      plan,
      f: this.potential.slice(0, n),
      g: this.potential.slice(n),
    };
  }

  /** The lowest common ancestor of u and v. */
  private apex(u: number, v: number): number {
    const { parent, depth } = this;
    while (u !== v) {
      const du = depth[u]!;
      const dv = depth[v]!;
      if (du >= dv) u = parent[u]!;
      if (dv >= du) v = parent[v]!;
    }
    return u;
  }

  /** +θ on arcs the cycle runs along, −θ on those it runs against (see `pivot`). */
  private pushRoundCycle(source: number, target: number, apex: number, theta: number): void {
    const { n, parent, flow } = this;
    for (let v = source; v !== apex; v = parent[v]!) flow[v] = flow[v]! + (v < n ? -theta : theta);
    for (let v = target; v !== apex; v = parent[v]!) flow[v] = flow[v]! + (v >= n ? -theta : theta);
  }

  /**
   * Cuts the arc above `leaving` and hangs its subtree from `outside` through `inside` (the
   * entering arc, flow `enteringFlow`): the tree path inside → … → leaving reverses, each arc's
   * flow moving from the old child to the new one.
   */
  private rehang(leaving: number, inside: number, outside: number, enteringFlow: number): void {
    const { parent, flow } = this;
    this.unlinkChild(leaving);
    let v = inside;
    let newParent = outside;
    let newFlow = enteringFlow;
    for (;;) {
      const oldParent = parent[v]!;
      const oldFlow = flow[v]!;
      if (v !== leaving) this.unlinkChild(v);
      this.linkChild(v, newParent);
      flow[v] = newFlow;
      if (v === leaving) return;
      newParent = v;
      newFlow = oldFlow;
      v = oldParent;
    }
  }

  /** Depth and potential of every node strictly below `top` (whose own are set), by DFS. */
  private relabelSubtreeBelow(top: number): void {
    const { n, m, cost, potential, depth, firstChild, nextSibling, stack } = this;
    let size = 0;
    stack[size++] = top;
    while (size > 0) {
      const u = stack[--size]!;
      const pu = potential[u]!;
      const du = depth[u]! + 1;
      for (let v = firstChild[u]!; v >= 0; v = nextSibling[v]!) {
        potential[v] = cost[arcIndexOf(u, v, n, m)]! - pu;
        depth[v] = du;
        stack[size++] = v;
      }
    }
  }

  private attach(child: number, parent: number, x: number): void {
    this.linkChild(child, parent);
    this.flow[child] = x;
  }

  private linkChild(child: number, parent: number): void {
    const { firstChild, nextSibling, previousSibling } = this;
    const head = firstChild[parent]!;
    this.parent[child] = parent;
    nextSibling[child] = head;
    previousSibling[child] = -1;
    if (head >= 0) previousSibling[head] = child;
    firstChild[parent] = child;
  }

  private unlinkChild(child: number): void {
    const { firstChild, nextSibling, previousSibling } = this;
    const next = nextSibling[child]!;
    const previous = previousSibling[child]!;
    if (previous >= 0) nextSibling[previous] = next;
    else firstChild[this.parent[child]!] = next;
    if (next >= 0) previousSibling[next] = previous;
  }
}

/** Index in the cost matrix of the arc between nodes u and v (one a source, one a target). */
function arcIndexOf(u: number, v: number, n: number, m: number): number {
  return u < n ? u * m + (v - n) : v * m + (u - n);
}

/** Block search over the arcs in cyclic order (see the header). */
class BlockPricing {
  private readonly n: number;
  private readonly m: number;
  private readonly cost: Float64Array;
  private readonly blockSize: number;
  private readonly tolerance: number;
  private next = 0;

  constructor(n: number, m: number, cost: Float64Array) {
    this.n = n;
    this.m = m;
    this.cost = cost;
    this.blockSize = Math.max(MIN_BLOCK_SIZE, Math.ceil(BLOCK_SIZE_FACTOR * Math.sqrt(n * m)));
    let scale = 0;
    for (let k = 0; k < cost.length; k++) scale = Math.max(scale, Math.abs(cost[k]!));
    this.tolerance = REDUCED_COST_TOLERANCE * scale;
  }

  /** An arc with r < −tolerance (the most negative of its block), or −1 when none is left. */
  findEntering(potential: Float64Array): number {
    const { n, m, cost, blockSize } = this;
    const arcs = n * m;
    let k = this.next;
    let i = Math.floor(k / m);
    let j = k - i * m;
    let best = -this.tolerance;
    let bestArc = -1;
    let inBlock = 0;
    for (let scanned = 0; scanned < arcs; scanned++) {
      const r = cost[k]! - potential[i]! - potential[n + j]!;
      if (r < best) {
        best = r;
        bestArc = k;
      }
      k++;
      j++;
      if (j === m) {
        j = 0;
        i++;
        if (k === arcs) {
          k = 0;
          i = 0;
        }
      }
      if (++inBlock === blockSize) {
        if (bestArc >= 0) break;
        inBlock = 0;
      }
    }
    this.next = k;
    return bestArc;
  }
}
