// Runs a plan: reuses cached outputs whose cache key is unchanged, streams events, stops on abort,
// and disposes the tensors of outputs it replaces or no longer needs.
import type { Plan, PlannedNode } from './compile';
import { NodeRunError, RunCancelledError } from './errors';
import { probePlanFacts } from './facts';
import { MemoryFileLayer } from './memory-files';
import type { FileHost, RunContext } from './node-definition';
import type { TrajectoryFrame } from './values';
import { isDisposable } from './values';
import { yieldToEventLoop } from './yield';

export type EngineEvent =
  | { type: 'run-start'; order: readonly string[] }
  | { type: 'node-start'; nodeId: string }
  | { type: 'node-progress'; nodeId: string; step: number; steps: number }
  | { type: 'node-frame'; nodeId: string; frame: TrajectoryFrame }
  | { type: 'node-done'; nodeId: string; ms: number; nfe: number; cached: boolean }
  | { type: 'node-error'; nodeId: string; message: string }
  | { type: 'run-done'; ok: boolean; cancelled: boolean; ms: number };

export type NodeStatus = 'done' | 'cached' | 'failed' | 'skipped';

export interface RunSummary {
  ok: boolean;
  cancelled: boolean;
  ms: number;
  nodes: Record<string, { status: NodeStatus; ms: number; nfe: number }>;
  /**
   * What stopped the run. `internal` marks a JavaScript error (TypeError, RangeError, …): a bug in
   * Principia rather than a problem with the graph, which the message alone would not tell.
   */
  error?: { nodeId?: string; message: string; internal?: boolean };
}

/** Errors JavaScript raises on its own: thrown by a node, they are bugs, not bad input. */
const INTERNAL_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/** A run gives the event loop a turn at least this often between nodes (cancel, UI events). */
const YIELD_INTERVAL_MS = 20;

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /** Run only these nodes and what they need (default: every node). */
  targets?: readonly string[];
}

interface CacheEntry {
  readonly key: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What the node reported when it actually ran, replayed on a cache hit. */
  readonly nfe: number;
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

export class Executor {
  private readonly cache = new Map<string, CacheEntry>();
  /** How many cache entries hold each output value, so eviction frees a value exactly once. */
  private readonly holders = new Map<unknown, number>();
  private running = false;
  private readonly fileLayer: MemoryFileLayer;

  constructor(options: { files: FileHost }) {
    this.fileLayer = new MemoryFileLayer(options.files);
  }

  /**
   * The files nodes read and write: the host's, plus a reserved folder kept in memory, where a
   * sweep trains weights that must not overwrite the user's (memory-files.ts).
   */
  get files(): MemoryFileLayer {
    return this.fileLayer;
  }

  /** The value on a node's output port from the latest run (owned by the executor). */
  output(nodeId: string, port: string): unknown {
    const outputs = this.cache.get(nodeId)?.outputs;
    return outputs && Object.hasOwn(outputs, port) ? outputs[port] : undefined;
  }

  /**
   * The plan with its facts completed from the files its nodes name and from this executor's
   * cached outputs; throws a GraphError when they reveal a conflict (a shape mismatch), so a
   * host can report it as bad input before anything runs.
   */
  probe(plan: Plan, file?: string): Promise<Plan> {
    return probePlanFacts(plan, {
      files: this.files,
      ...(file !== undefined ? { file } : {}),
      existingOutputs: (node) => {
        const cached = this.cache.get(node.id);
        return cached && cached.key === node.cacheKey ? cached.outputs : undefined;
      },
    });
  }

  async run(plan: Plan, options: RunOptions = {}): Promise<RunSummary> {
    if (this.running) throw new Error('a run is already in progress; cancel it or wait for it');
    this.running = true;
    try {
      return await this.runPlan(plan, options);
    } finally {
      this.running = false;
    }
  }

  /**
   * Drops the cached output of `nodeId` and of everything downstream of it in `plan`, so the next
   * run recomputes them: for a change the cache key cannot see, such as new weights in a file.
   */
  invalidate(plan: Plan, nodeId: string): void {
    const stale = new Set([nodeId]);
    for (const id of plan.order) {
      const node = plan.nodes.get(id);
      if (node && Object.values(node.inputs).some((ref) => stale.has(ref.node))) stale.add(id);
    }
    for (const id of stale) this.evict(id);
  }

  /** Frees every cached output. */
  dispose(): void {
    for (const id of [...this.cache.keys()]) this.evict(id);
  }

  private async runPlan(plan: Plan, options: RunOptions): Promise<RunSummary> {
    const signal = options.signal ?? new AbortController().signal;
    const emit = options.onEvent ?? (() => {});
    const started = now();
    const needed = options.targets ? withUpstream(plan, options.targets) : new Set(plan.order);
    const summary: RunSummary = { ok: true, cancelled: false, ms: 0, nodes: {} };
    emit({ type: 'run-start', order: plan.order.filter((id) => needed.has(id)) });
    let lastYield = now();

    for (const id of plan.order) {
      const node = plan.nodes.get(id)!;
      // Nodes that finish without awaiting anything would otherwise hold the loop for the whole
      // run: a cancel must get through between nodes however many there are.
      if (summary.ok && now() - lastYield > YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        lastYield = now();
        if (signal.aborted) {
          summary.ok = false;
          summary.cancelled = true;
          summary.error = { message: 'run cancelled' };
        }
      }
      if (!needed.has(id) || !summary.ok) {
        summary.nodes[id] = { status: 'skipped', ms: 0, nfe: 0 };
        continue;
      }
      const cached = this.cache.get(id);
      if (cached && cached.key === node.cacheKey) {
        summary.nodes[id] = { status: 'cached', ms: 0, nfe: cached.nfe };
        emit({ type: 'node-done', nodeId: id, ms: 0, nfe: cached.nfe, cached: true });
        continue;
      }
      emit({ type: 'node-start', nodeId: id });
      const nodeStarted = now();
      try {
        if (signal.aborted) throw new RunCancelledError();
        const { outputs, nfe } = await this.runNode(node, signal, emit);
        const ms = now() - nodeStarted;
        this.evict(id);
        this.store(id, { key: node.cacheKey, outputs, nfe });
        summary.nodes[id] = { status: 'done', ms, nfe };
        emit({ type: 'node-done', nodeId: id, ms, nfe, cached: false });
      } catch (error) {
        const cancelled = error instanceof RunCancelledError || signal.aborted;
        const message = cancelled ? 'run cancelled' : errorMessage(error);
        const internal = !cancelled && INTERNAL_ERRORS.some((type) => error instanceof type);
        summary.ok = false;
        summary.cancelled = cancelled;
        summary.error = { nodeId: id, message, ...(internal ? { internal } : {}) };
        summary.nodes[id] = { status: 'failed', ms: now() - nodeStarted, nfe: 0 };
        emit({ type: 'node-error', nodeId: id, message });
      }
    }

    // Outputs of nodes that left the graph are never reused: free them now.
    for (const id of [...this.cache.keys()]) if (!plan.nodes.has(id)) this.evict(id);
    summary.ms = now() - started;
    emit({ type: 'run-done', ok: summary.ok, cancelled: summary.cancelled, ms: summary.ms });
    return summary;
  }

  private async runNode(
    node: PlannedNode,
    signal: AbortSignal,
    emit: (event: EngineEvent) => void,
  ): Promise<{ outputs: Record<string, unknown>; nfe: number }> {
    const inputs: Record<string, unknown> = {};
    for (const [port, ref] of Object.entries(node.inputs)) {
      inputs[port] = this.output(ref.node, ref.port);
    }
    let nfe = 0;
    const ctx: RunContext<Record<string, unknown>> = {
      nodeId: node.id,
      params: node.params,
      signal,
      files: this.files,
      progress: (step, steps) => emit({ type: 'node-progress', nodeId: node.id, step, steps }),
      frame: (frame) => emit({ type: 'node-frame', nodeId: node.id, frame }),
      addNfe: (count) => {
        nfe += count;
      },
      checkpoint: async () => {
        if (signal.aborted) throw new RunCancelledError();
        await yieldToEventLoop();
        if (signal.aborted) throw new RunCancelledError();
      },
    };
    const outputs = (await node.definition.run(inputs as never, ctx as never)) as Record<
      string,
      unknown
    >;
    for (const port of Object.keys(node.definition.outputs)) {
      if (outputs[port] === undefined) {
        disposeAll(Object.values(outputs), new Set());
        throw new NodeRunError(node.id, `produced no value for output "${port}"`);
      }
    }
    return { outputs, nfe };
  }

  private store(id: string, entry: CacheEntry): void {
    this.cache.set(id, entry);
    for (const value of new Set(Object.values(entry.outputs))) {
      this.holders.set(value, (this.holders.get(value) ?? 0) + 1);
    }
  }

  /** Drops a node's cache entry, freeing values no other entry still holds (O(its outputs)). */
  private evict(id: string): void {
    const entry = this.cache.get(id);
    if (!entry) return;
    this.cache.delete(id);
    for (const value of new Set(Object.values(entry.outputs))) {
      const left = (this.holders.get(value) ?? 1) - 1;
      if (left > 0) {
        this.holders.set(value, left);
        continue;
      }
      this.holders.delete(value);
      if (isDisposable(value)) value.dispose();
    }
  }
}

function disposeAll(values: readonly unknown[], keep: ReadonlySet<unknown>): void {
  for (const value of values) if (isDisposable(value) && !keep.has(value)) value.dispose();
}

/** The targets and everything they need (iterative: a long chain must not overflow the stack). */
function withUpstream(plan: Plan, targets: readonly string[]): Set<string> {
  const needed = new Set<string>();
  const pending = [...targets];
  while (pending.length) {
    const id = pending.pop()!;
    if (needed.has(id)) continue;
    const node = plan.nodes.get(id);
    if (!node) throw new Error(`cannot run "${id}": there is no such node in the graph`);
    needed.add(id);
    for (const ref of Object.values(node.inputs)) pending.push(ref.node);
  }
  return needed;
}

function errorMessage(error: unknown): string {
  if (error instanceof NodeRunError) return error.message.replace(/^node "[^"]*": /, '');
  return error instanceof Error ? error.message : String(error);
}
