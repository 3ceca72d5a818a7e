// Graph document → validated DAG → execution plan (topological order, resolved params, cache keys).
import type { Catalogue } from './catalogue';
import { checkConnection } from './connections';
import type { GraphDocument, NodeInstance, PortRef } from './document';
import { GraphError, type GraphIssue } from './errors';
import { inferPlanFacts, type PlanFacts } from './facts';
import { fileParams, graphPathProblem, type PathAccess } from './graph-paths';
import { ownValue } from './own';
import { canonicalJson, hashString } from './hash';
import type { z } from 'zod';
import type { AnyNodeDefinition } from './node-definition';

export interface PlannedNode {
  readonly id: string;
  readonly title: string;
  readonly definition: AnyNodeDefinition;
  /** Params after validation, with defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Which upstream output feeds each connected input. */
  readonly inputs: Readonly<Record<string, PortRef>>;
  /** Changes exactly when the node's type, params or anything upstream changes. */
  readonly cacheKey: string;
  /**
   * Set when the node is bypassed: which input each output passes through (output → input).
   * Its `definition` then passes those values through instead of computing (see bypassDefinition).
   */
  readonly bypass?: Readonly<Record<string, string>>;
}

export interface Plan {
  /** Node ids in an order where every node comes after its inputs. */
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, PlannedNode>;
  /**
   * What is known of each output before the run (per-point shapes, core/facts.ts): from params
   * here, completed from files and cached outputs by probePlanFacts.
   */
  readonly facts: PlanFacts;
}

export interface CompileOptions {
  /** The graph's file, for messages. */
  readonly file?: string;
  /**
   * Paths the user chose (a CLI `--set`, an `--allow-read` folder) that may lie outside the
   * graph's folder; every other path in a file param must stay inside it.
   */
  readonly trustedPath?: (path: string, access: PathAccess) => boolean;
}

/** Checks everything a run needs and orders the nodes. Throws GraphError with every issue found. */
export function compileGraph(
  graph: GraphDocument,
  catalogue: Catalogue,
  options: CompileOptions = {},
): Plan {
  const file = options.file;
  const issues: GraphIssue[] = [];
  const instances = new Map<string, NodeInstance>();
  const definitions = new Map<string, AnyNodeDefinition>();
  const params = new Map<string, Record<string, unknown>>();

  for (const node of graph.nodes) {
    if (instances.has(node.id)) {
      issues.push({
        code: 'duplicate-node',
        file,
        nodeId: node.id,
        message: 'two nodes share this id; give each node its own id',
      });
      continue;
    }
    instances.set(node.id, node);
    const definition = catalogue.get(node.type);
    if (!definition) {
      issues.push({
        code: 'unknown-node-type',
        file,
        nodeId: node.id,
        message: `unknown node type "${node.type}"; it is not in this version's catalogue (run "principia nodes" to list the types)`,
      });
      continue;
    }
    if (node.typeVersion > definition.version) {
      issues.push({
        code: 'unsupported-version',
        file,
        nodeId: node.id,
        message: `written for version ${node.typeVersion} of "${node.type}", newer than this Principia's version ${definition.version}`,
      });
      continue;
    }
    definitions.set(node.id, definition);
    const resolved = resolveParams(node, definition, file, issues);
    if (resolved) {
      params.set(node.id, resolved);
      checkPaths(node.id, definition, resolved, options, issues);
    }
  }

  const inputs = new Map<string, Record<string, PortRef>>();
  for (const id of instances.keys()) inputs.set(id, {});
  // Inputs with a wire already reported as wrong: "not connected" would only repeat it.
  const reportedInputs = new Set<string>();
  for (const edge of graph.edges) {
    const fromDefinition = definitions.get(edge.from.node);
    const toDefinition = definitions.get(edge.to.node);
    for (const end of [edge.from, edge.to]) {
      if (!instances.has(end.node)) {
        issues.push({
          code: 'unknown-node',
          file,
          nodeId: end.node,
          port: end.port,
          message: `an edge refers to node "${end.node}", which is not in the graph`,
        });
      }
    }
    if (!fromDefinition || !toDefinition) {
      reportedInputs.add(`${edge.to.node}.${edge.to.port}`);
      continue;
    }
    const check = checkConnection(
      { definition: fromDefinition, nodeId: edge.from.node, port: edge.from.port },
      { definition: toDefinition, nodeId: edge.to.node, port: edge.to.port },
    );
    if (!check.ok) {
      reportedInputs.add(`${edge.to.node}.${edge.to.port}`);
      const onOutputSide =
        check.code === 'unknown-port' && !ownValue(fromDefinition.outputs, edge.from.port);
      issues.push({
        code: check.code,
        file,
        nodeId: onOutputSide ? edge.from.node : edge.to.node,
        port: onOutputSide ? edge.from.port : edge.to.port,
        message: check.message,
      });
      continue;
    }
    const nodeInputs = inputs.get(edge.to.node)!;
    if (ownValue(nodeInputs, edge.to.port)) {
      issues.push({
        code: 'duplicate-input',
        file,
        nodeId: edge.to.node,
        port: edge.to.port,
        message: 'two edges feed this input; an input takes one wire',
      });
      continue;
    }
    nodeInputs[edge.to.port] = edge.from;
  }

  // A bypassed node never runs: only the inputs it passes through must be wired.
  const bypasses = new Map<string, Record<string, string>>();
  for (const [id, definition] of definitions) {
    if (!instances.get(id)!.bypass) continue;
    const passThrough = bypassPorts(id, definition, inputs.get(id)!, definitions, file, issues);
    if (passThrough) bypasses.set(id, passThrough);
  }

  for (const [id, definition] of definitions) {
    if (instances.get(id)!.bypass) continue;
    for (const [port, spec] of Object.entries(definition.inputs)) {
      const wired = ownValue(inputs.get(id) ?? {}, port);
      if (spec.required && !wired && !reportedInputs.has(`${id}.${port}`)) {
        issues.push({
          code: 'missing-input',
          file,
          nodeId: id,
          port,
          message: `required input is not connected; connect a ${spec.accepts.join(' or ')} output to it`,
        });
      }
    }
  }

  const order = topologicalOrder([...instances.keys()], inputs);
  if (!order.ok) {
    issues.push({
      code: 'cycle',
      file,
      nodeId: order.cycle[0],
      message: `the graph has a cycle: ${[...order.cycle, order.cycle[0]].join(' → ')}; remove one of these wires`,
    });
  }
  if (issues.length || !order.ok) throw new GraphError(issues);

  const planned = new Map<string, PlannedNode>();
  for (const id of order.order) {
    const definition = definitions.get(id)!;
    const nodeInputs = inputs.get(id)!;
    const bypass = bypasses.get(id);
    if (bypass) {
      // What a bypassed node hands on is exactly its pass-through inputs: its key is theirs.
      const passed = Object.entries(bypass)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([output, input]) => {
          const ref = nodeInputs[input]!;
          return [output, planned.get(ref.node)!.cacheKey, ref.port];
        });
      planned.set(id, {
        id,
        title: instances.get(id)!.title ?? definition.title,
        definition: bypassDefinition(definition, bypass),
        params: params.get(id)!,
        inputs: nodeInputs,
        cacheKey: hashString(canonicalJson(['bypass', passed])),
        bypass,
      });
      continue;
    }
    const upstream = Object.keys(nodeInputs)
      .sort()
      .map((port) => {
        const ref = nodeInputs[port]!;
        return [port, planned.get(ref.node)!.cacheKey, ref.port];
      });
    const nodeParams = params.get(id)!;
    const cacheKey = hashString(
      canonicalJson([definition.type, definition.version, nodeParams, upstream]),
    );
    planned.set(id, {
      id,
      title: instances.get(id)!.title ?? definition.title,
      definition,
      params: nodeParams,
      inputs: nodeInputs,
      cacheKey,
    });
  }
  const { facts, issues: factIssues } = inferPlanFacts(
    { order: order.order, nodes: planned },
    new Map(),
    file,
  );
  if (factIssues.length) throw new GraphError(factIssues);
  return { order: order.order, nodes: planned, facts };
}

/**
 * Which input each output of a bypassed node passes through: the first input (in the node's
 * order) that accepts the output's value type and is wired to an output of exactly that type.
 * Reports an output that has none; returns undefined then.
 */
function bypassPorts(
  id: string,
  definition: AnyNodeDefinition,
  wired: Readonly<Record<string, PortRef>>,
  definitions: ReadonlyMap<string, AnyNodeDefinition>,
  file: string | undefined,
  issues: GraphIssue[],
): Record<string, string> | undefined {
  const passThrough: Record<string, string> = {};
  let ok = true;
  for (const [output, spec] of Object.entries(definition.outputs)) {
    const candidates = Object.entries(definition.inputs)
      .filter(([, input]) => input.accepts.includes(spec.type))
      .map(([name]) => name);
    const chosen = candidates.find((name) => {
      const ref = ownValue(wired, name);
      return (
        ref !== undefined &&
        ownValue(definitions.get(ref.node)?.outputs ?? {}, ref.port)?.type === spec.type
      );
    });
    if (chosen !== undefined) {
      passThrough[output] = chosen;
      continue;
    }
    ok = false;
    issues.push({
      code: 'cannot-bypass',
      ...(file !== undefined ? { file } : {}),
      nodeId: id,
      port: output,
      message: candidates.length
        ? `cannot bypass node "${id}": output "${output}" (type ${spec.type}) would pass through ` +
          `input ${candidates.map((name) => `"${name}"`).join(' or ')}, which is not connected to a ${spec.type}; ` +
          'connect one, or stop bypassing the node'
        : `cannot bypass node "${id}": output "${output}" (type ${spec.type}) has no input of that ` +
          'type to pass through; stop bypassing the node',
    });
  }
  return ok ? passThrough : undefined;
}

/**
 * The definition a bypassed node runs with: the same ports, but its outputs are its pass-through
 * inputs' values (still owned by the nodes that made them), before and during the run.
 */
function bypassDefinition(
  definition: AnyNodeDefinition,
  bypass: Readonly<Record<string, string>>,
): AnyNodeDefinition {
  const pass = <T>(inputs: Readonly<Record<string, T>>): Record<string, T> => {
    const outputs: Record<string, T> = {};
    for (const [output, input] of Object.entries(bypass)) {
      const value = ownValue(inputs, input);
      if (value !== undefined) outputs[output] = value;
    }
    return outputs;
  };
  const { probeFacts: _unused, ...rest } = definition;
  return {
    ...rest,
    facts: (_params, inputs) => pass(inputs),
    run: (inputs) => pass(inputs as Record<string, unknown>) as never,
  };
}

function resolveParams(
  node: NodeInstance,
  definition: AnyNodeDefinition,
  file: string | undefined,
  issues: GraphIssue[],
): Record<string, unknown> | undefined {
  const known = Object.keys(definition.params.shape);
  let ok = true;
  for (const name of Object.keys(node.params)) {
    if (!known.includes(name)) {
      ok = false;
      issues.push({
        code: 'unknown-param',
        file,
        nodeId: node.id,
        param: name,
        message: `"${definition.type}" has no param "${name}"; its params are ${known.map((k) => `"${k}"`).join(', ') || 'none'}`,
      });
    }
  }
  const parsed = definition.params.safeParse(node.params);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({
        code: 'bad-param',
        file,
        nodeId: node.id,
        param: paramPath(issue.path) || undefined,
        message: `bad value ${describeValue(paramValueAt(node, definition, issue.path))}: ${issue.message}`,
      });
    }
    return undefined;
  }
  return ok ? (parsed.data as Record<string, unknown>) : undefined;
}

/** `means[2][0]`, `weights[1]`, `shape`: how a param or an entry of one is named in messages. */
function paramPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`,
    )
    .join('');
}

/** The value an issue is about: as written in the file, or the default when the file omits it. */
function paramValueAt(
  node: NodeInstance,
  definition: AnyNodeDefinition,
  path: readonly PropertyKey[],
): unknown {
  const [name] = path;
  if (typeof name !== 'string' || Object.hasOwn(node.params, name)) {
    return valueAt(node.params, path);
  }
  const schema = ownValue(definition.params.shape, name) as z.ZodType | undefined;
  const fallback = schema?.safeParse(undefined);
  return valueAt(fallback?.success ? fallback.data : undefined, path.slice(1));
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    const holder = value as Record<PropertyKey, unknown> | undefined;
    value =
      typeof holder === 'object' && holder !== null && Object.hasOwn(holder, key)
        ? holder[key]
        : undefined;
  }
  return value;
}

/** A short rendering of a value for a message; never throws (a value may be nested deeply). */
function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[…]' : typeof value === 'object' ? '{…}' : String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Every file param's path stays in the graph's folder, unless the user chose it. */
function checkPaths(
  nodeId: string,
  definition: AnyNodeDefinition,
  params: Readonly<Record<string, unknown>>,
  options: CompileOptions,
  issues: GraphIssue[],
): void {
  for (const { name, access } of fileParams(definition)) {
    const path = ownValue(params, name);
    if (typeof path !== 'string' || path === '') continue;
    if (options.trustedPath?.(path, access)) continue;
    const problem = graphPathProblem(path);
    if (!problem) continue;
    issues.push({
      code: 'path-outside-folder',
      ...(options.file !== undefined ? { file: options.file } : {}),
      nodeId,
      param: name,
      message:
        `the path "${path}" cannot be used: ${problem}. A graph reads and writes only inside ` +
        'its own folder; move the file there, or name it on the command line (--set, --allow-read, --allow-write)',
    });
  }
}

type OrderResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Kahn's algorithm, taking ready nodes in graph order so plans are stable and readable. The ready
 * nodes wait in a binary heap by their position in the file: O(n log n) however wide the graph.
 */
function topologicalOrder(
  ids: readonly string[],
  inputs: ReadonlyMap<string, Record<string, PortRef>>,
): OrderResult {
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const pending = new Map<string, number>();
  for (const id of ids) {
    const upstream = new Set(Object.values(inputs.get(id) ?? {}).map((ref) => ref.node));
    pending.set(id, upstream.size);
    for (const source of upstream) dependents.get(source)?.push(id);
  }
  const position = new Map(ids.map((id, index) => [id, index]));
  const ready = new PositionHeap();
  for (const id of ids) if (pending.get(id) === 0) ready.push(position.get(id)!);
  const order: string[] = [];
  while (ready.size) {
    const id = ids[ready.pop()]!;
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(position.get(next)!);
    }
  }
  if (order.length === ids.length) return { ok: true, order };
  return {
    ok: false,
    cycle: findCycle(
      ids.filter((id) => pending.get(id)! > 0),
      inputs,
    ),
  };
}

/** A min-heap of node positions. */
class PositionHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    for (let at = items.length - 1; at > 0;) {
      const parent = (at - 1) >> 1;
      if (items[parent]! <= value) break;
      items[at] = items[parent]!;
      items[parent] = value;
      at = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length === 0) return top;
    items[0] = last;
    for (let at = 0; ;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < items.length && items[left]! < items[smallest]!) smallest = left;
      if (right < items.length && items[right]! < items[smallest]!) smallest = right;
      if (smallest === at) break;
      [items[at], items[smallest]] = [items[smallest]!, items[at]!];
      at = smallest;
    }
    return top;
  }
}

/** Walks upstream from a node left over by Kahn's algorithm until a node repeats. */
function findCycle(
  remaining: readonly string[],
  inputs: ReadonlyMap<string, Record<string, PortRef>>,
): string[] {
  const inRemaining = new Set(remaining);
  const path: string[] = [];
  let current = remaining[0]!;
  while (!path.includes(current)) {
    path.push(current);
    const next = Object.values(inputs.get(current) ?? {})
      .map((ref) => ref.node)
      .find((node) => inRemaining.has(node));
    if (!next) break;
    current = next;
  }
  const cycle = path.slice(path.indexOf(current));
  return cycle.reverse();
}
