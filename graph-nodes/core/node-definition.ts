// The contract every node type implements: one small file per node under graph-nodes/nodes/.
import type { z } from 'zod';
import type { PortFacts } from './facts';
import type { TrajectoryFrame, ValueOf, ValueType } from './values';

export const NODE_KINDS = [
  'prior',
  'schedule',
  'timesteps',
  'denoiser',
  'guidance',
  'solver',
  'flowmap',
  'transport',
  'data',
  'io',
  'analysis',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface InputSpec {
  /** Value types this input takes (first is the preferred one). */
  readonly accepts: readonly ValueType[];
  readonly required: boolean;
  readonly description: string;
}

export interface OutputSpec {
  readonly type: ValueType;
  readonly description: string;
}

/**
 * UI hints attached to a param schema with zod's `.meta(...)`. The inspector builds its widgets
 * from them; the engine ignores them.
 */
export interface ParamUiHints {
  title?: string;
  description?: string;
  /** Slider step. */
  step?: number;
  /**
   * The slider's range where it differs from the schema's bounds (a scale like ε spans 1e-6…1e6
   * but is dragged over 1e-3…10); typing may go beyond it, within the schema.
   */
  sliderMin?: number;
  sliderMax?: number;
  /** 'log': the slider moves through powers of ten (for a scale; needs sliderMin > 0). */
  scale?: 'linear' | 'log';
  unit?: string;
  /** 'file' params name a file; `extensions` filters the picker. */
  widget?: 'slider' | 'number' | 'select' | 'seed' | 'file' | 'text' | 'json';
  extensions?: readonly string[];
  /** How a 'file' param's file is used (default 'read'): what the file hosts must allow. */
  access?: 'read' | 'write' | 'read-write';
  /** Show the param only when another param has one of these values. */
  visibleWhen?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
}

/** Reads and writes the files that params name. The CLI uses the file system; the app its own. */
export interface FileHost {
  read(path: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<void>;
}

export interface RunContext<P> {
  readonly nodeId: string;
  readonly params: P;
  readonly signal: AbortSignal;
  readonly files: FileHost;
  /** Report step k of n (for solvers and other iterative nodes). */
  progress(step: number, steps: number): void;
  /** Stream one trajectory frame to listeners while the node is still running. */
  frame(frame: TrajectoryFrame): void;
  /** Count denoiser / model evaluations spent by this node. */
  addNfe(count: number): void;
  /** Give the event loop a turn (so cancellation and events get through); throws if aborted. */
  checkpoint(): Promise<void>;
}

type InputValue<S extends InputSpec> = ValueOf[S['accepts'][number]];
export type InputValues<I extends Record<string, InputSpec>> = {
  [K in keyof I]: I[K]['required'] extends true ? InputValue<I[K]> : InputValue<I[K]> | undefined;
};
export type OutputValues<O extends Record<string, OutputSpec>> = {
  [K in keyof O]: ValueOf[O[K]['type']];
};
/** What is known of each input before the run; a port is absent when nothing is. */
export type InputFacts<I extends Record<string, InputSpec>> = {
  readonly [K in keyof I]?: PortFacts;
};
export type OutputFacts<O extends Record<string, OutputSpec>> = {
  readonly [K in keyof O]?: PortFacts;
};

export interface NodeDefinition<
  P extends z.ZodObject = z.ZodObject,
  I extends Record<string, InputSpec> = Record<string, InputSpec>,
  O extends Record<string, OutputSpec> = Record<string, OutputSpec>,
> {
  /** Stable type id used in graph files, e.g. "karras-timesteps". */
  readonly type: string;
  /** Bumped when params or ports change incompatibly (documents carry it per node). */
  readonly version: number;
  readonly kind: NodeKind;
  readonly title: string;
  /** One or two sentences: what the node computes. */
  readonly description: string;
  /** The monograph section it implements, e.g. "§9.1 (Euler on the PF-ODE)". */
  readonly section: string;
  /** The formula it computes, in plain text (for docs and the inspector). */
  readonly formula?: string;
  readonly inputs: I;
  readonly outputs: O;
  /** Params schema with defaults; UI hints via `.meta(...)` (see ParamUiHints). */
  readonly params: P;
  run(
    inputs: InputValues<I>,
    ctx: RunContext<z.output<P>>,
  ): Promise<OutputValues<O>> | OutputValues<O>;
  /**
   * What its outputs will be (per-point shapes), from its params and what is known of its inputs,
   * without running (core/facts.ts). Throws a FactsError when its inputs cannot fit together; the
   * compiler reports that on this node. Absent: nothing is known of its outputs before it runs.
   */
  facts?(params: z.output<P>, inputs: InputFacts<I>): OutputFacts<O>;
  /**
   * For nodes whose outputs are described by a file (an .npy's shape, an ONNX model's inputs):
   * reads it before the run, so that a mismatch is reported before any node runs. When it
   * throws, nothing is known and the run itself reports the problem.
   */
  probeFacts?(params: z.output<P>, files: FileHost): Promise<OutputFacts<O>>;
}

/** Identity helper that keeps the literal types of ports and params. */
export function defineNode<
  P extends z.ZodObject,
  const I extends Record<string, InputSpec>,
  const O extends Record<string, OutputSpec>,
>(definition: NodeDefinition<P, I, O>): NodeDefinition<P, I, O> {
  return definition;
}

/** The erased form the catalogue and the executor handle. */
export type AnyNodeDefinition = NodeDefinition<
  z.ZodObject,
  Record<string, InputSpec>,
  Record<string, OutputSpec>
>;
