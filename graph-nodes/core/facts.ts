// Port facts: what is known about the value on each output before anything runs — today the
// per-point shape. Nodes derive their output facts from params and input facts (`facts`), or from
// a file they name (`probeFacts`); a conflict, such as a model that expects [1, 28, 28] fed
// samples of shape [2], becomes a GraphError naming the node and both shapes before any node runs.
import type { Plan, PlannedNode } from './compile';
import { GraphError, type GraphIssue } from './errors';
import type { FileHost } from './node-definition';
import { shapeMismatchMessage, unifyShapes, type PointShape, type ShapedPort } from './shapes';
import { modelShape, type ValueOf, type ValueType } from './values';

export interface PortFacts {
  /**
   * Samples, data sets, trajectories: the per-point shape. Denoisers, classifiers, flow maps: the
   * shape of the points they take.
   */
  readonly shape?: PointShape;
  /** What the fact was read from, for messages: 'unet.onnx input "x" is [batch, 1, 28, 28]'. */
  readonly note?: string;
  /** Where an input's facts came from ("prior.samples"), for messages. Set by the inference. */
  readonly source?: string;
}

/** Facts of every output of every node, by node id then port. */
export type PlanFacts = ReadonlyMap<string, Readonly<Record<string, PortFacts>>>;

/** Thrown by a node's `facts` (or its run) when inputs cannot fit together. */
export class FactsError extends Error {
  constructor(
    message: string,
    /** The input the message is about. */
    readonly port?: string,
  ) {
    super(message);
    this.name = 'FactsError';
  }
}

/**
 * The shape the given inputs agree on (core/shapes.ts unifyShapes), or undefined when none is
 * known; throws a FactsError naming two inputs that disagree. Used by `facts` with what is known
 * before the run and by `run` with the actual values, so both say the same thing.
 */
export function agreedShape(
  inputs: Readonly<Record<string, PortFacts | undefined>>,
  ports: readonly string[],
): PointShape | undefined {
  let agreed: ShapedPort | undefined;
  for (const port of ports) {
    const facts = Object.hasOwn(inputs, port) ? inputs[port] : undefined;
    if (!facts?.shape) continue;
    const here: ShapedPort = { what: describeInput(port, facts), shape: facts.shape };
    if (!agreed) {
      agreed = here;
      continue;
    }
    const shape = unifyShapes(agreed.shape, here.shape);
    if (!shape) throw new FactsError(shapeMismatchMessage(agreed, here), port);
    agreed = { what: agreed.what, shape };
  }
  return agreed?.shape;
}

/** A value that has a per-point shape: samples, data sets and trajectories, or the models. */
type ShapedValue =
  | ValueOf['samples']
  | ValueOf['trajectory']
  | ValueOf['denoiser']
  | ValueOf['classifier']
  | ValueOf['flowmap']
  | ValueOf['coupling'];

/**
 * agreedShape at run time, over a node's actual inputs by port name (missing ones skipped);
 * throws the same FactsError the compiler would have reported.
 */
export function agreedValueShape(
  values: Readonly<Record<string, ShapedValue | undefined>>,
): PointShape {
  const facts: Record<string, PortFacts> = {};
  for (const [port, value] of Object.entries(values)) {
    if (value === undefined) continue;
    facts[port] = {
      shape:
        'points' in value || 'frames' in value || 'plan' in value ? value.shape : modelShape(value),
    };
  }
  const shape = agreedShape(facts, Object.keys(facts));
  if (!shape) throw new Error('agreedValueShape needs at least one value');
  return shape;
}

function describeInput(port: string, facts: PortFacts): string {
  const origin = [facts.source && `from ${facts.source}`, facts.note].filter(Boolean).join(': ');
  return origin ? `input "${port}" (${origin})` : `input "${port}"`;
}

/** The facts of a value that exists (a cached output, an input at run time). */
export function valueFacts(type: ValueType, value: unknown): PortFacts {
  switch (type) {
    case 'samples':
    case 'dataset':
      return { shape: (value as ValueOf['samples']).shape };
    case 'trajectory':
      return { shape: (value as ValueOf['trajectory']).shape };
    case 'coupling':
      return { shape: (value as ValueOf['coupling']).shape };
    case 'denoiser':
    case 'classifier':
    case 'flowmap':
      return { shape: modelShape(value as ValueOf['denoiser']) };
    default:
      return {};
  }
}

/**
 * Every node's output facts in plan order: from `known` where given (probed files, cached
 * outputs), else from the node's `facts`. Conflicts come back as issues, one per node.
 */
export function inferPlanFacts(
  plan: Pick<Plan, 'order' | 'nodes'>,
  known: ReadonlyMap<string, Readonly<Record<string, PortFacts>>> = new Map(),
  file?: string,
): { facts: PlanFacts; issues: GraphIssue[] } {
  const facts = new Map<string, Readonly<Record<string, PortFacts>>>();
  const issues: GraphIssue[] = [];
  for (const id of plan.order) {
    const node = plan.nodes.get(id)!;
    const given = known.get(id);
    if (given) {
      facts.set(id, given);
      continue;
    }
    const inputs: Record<string, PortFacts> = {};
    for (const [port, ref] of Object.entries(node.inputs)) {
      const upstream = facts.get(ref.node);
      const fact = upstream && Object.hasOwn(upstream, ref.port) ? upstream[ref.port] : undefined;
      if (fact) inputs[port] = { ...fact, source: `${ref.node}.${ref.port}` };
    }
    try {
      const outputs = node.definition.facts?.(node.params as never, inputs as never) ?? {};
      facts.set(id, outputs as Record<string, PortFacts>);
    } catch (error) {
      facts.set(id, {});
      issues.push({
        code: 'shape-mismatch',
        ...(file !== undefined ? { file } : {}),
        nodeId: id,
        ...(error instanceof FactsError && error.port ? { port: error.port } : {}),
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { facts, issues };
}

export interface ProbeOptions {
  readonly files: FileHost;
  readonly file?: string;
  /** The outputs a node already has (an executor's cache), which need no probing. */
  readonly existingOutputs?: (node: PlannedNode) => Readonly<Record<string, unknown>> | undefined;
}

/**
 * Completes the compiler's facts with what files say (each `probeFacts`) and what existing
 * outputs are, and throws a GraphError if they reveal a conflict; returns the plan with them.
 */
export async function probePlanFacts(plan: Plan, options: ProbeOptions): Promise<Plan> {
  const known = new Map<string, Record<string, PortFacts>>();
  for (const id of plan.order) {
    const node = plan.nodes.get(id)!;
    const existing = options.existingOutputs?.(node);
    if (existing) {
      const outputs: Record<string, PortFacts> = {};
      for (const [port, spec] of Object.entries(node.definition.outputs)) {
        if (Object.hasOwn(existing, port)) outputs[port] = valueFacts(spec.type, existing[port]);
      }
      known.set(id, outputs);
      continue;
    }
    if (!node.definition.probeFacts) continue;
    try {
      known.set(
        id,
        (await node.definition.probeFacts(node.params as never, options.files)) as Record<
          string,
          PortFacts
        >,
      );
    } catch {
      // A file that cannot be read or parsed is the run's to report, with its own message.
    }
  }
  const { facts, issues } = inferPlanFacts(plan, known, options.file);
  if (issues.length) throw new GraphError(issues);
  return { ...plan, facts };
}

/** An output that has the shape of an input (a denoiser over a data set takes its points). */
export function shapeOf(input: PortFacts | undefined): PortFacts {
  return input?.shape ? { shape: input.shape, ...(input.note ? { note: input.note } : {}) } : {};
}

/** `agreedShape` as an output's facts: the shape its inputs agree on, when one is known. */
export function agreedFacts(
  inputs: Readonly<Record<string, PortFacts | undefined>>,
  ports: readonly string[],
): PortFacts {
  const shape = agreedShape(inputs, ports);
  return shape ? { shape } : {};
}
