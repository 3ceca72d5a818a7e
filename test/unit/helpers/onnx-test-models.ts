// Small ONNX models with known answers, written with the project's own ONNX writer: the exact
// denoiser of Gaussian data N(μ, s² I) in any per-point shape S,
//   D(x; σ) = μ + s²/(s² + σ²) · (x − μ),
// with the layouts real image models use: x [batch, ...S] with a fixed or symbolic batch, the time
// as a scalar, [batch] or [batch, 1], an optional int64/int32 class input choosing μ per class
// (Gather from a [classes, ...S] table), and float16 I/O through Cast nodes.
import type { PointShape } from '../../../graph-nodes/core/shapes';
import {
  elementTypeCode,
  intAttribute,
  OnnxGraphBuilder,
  type Dimension,
  type OnnxValueInfo,
} from '../../../graph-nodes/onnx/onnx-graph';

export type FedLayout = 'scalar' | 'row' | 'column';

export interface GaussianModelOptions {
  /** The per-point shape S. */
  readonly shape: PointShape;
  /** μ per class (one entry: no class input), each of size(S) values. */
  readonly means: readonly Float32Array[];
  readonly std: number;
  /** x's batch: a fixed size or a symbolic name (default "batch"). */
  readonly batch?: Dimension;
  /** Time layout: [] (scalar), [batch] (row) or [batch, 1] (column); default row. */
  readonly time?: FedLayout;
  /** The time's declared batch, when not x's (e.g. 1: one time broadcast over the rows). */
  readonly timeBatch?: Dimension;
  /** A class input (needs several means). */
  readonly classInput?: { readonly type: 'int64' | 'int32'; readonly layout: FedLayout };
  /** x, time and output are float16 (the arithmetic stays float32, between Casts). */
  readonly float16?: boolean;
  /** The output's declared shape, when it should not be [batch, ...S]. */
  readonly outputShape?: readonly Dimension[];
  /** A second output "aux" (the coefficient s²/(s²+σ²)), to test choosing the output. */
  readonly extraOutput?: boolean;
}

export const MODEL_NAMES = { x: 'x', time: 'sigma', label: 'label', output: 'denoised' } as const;

const fedShape = (layout: FedLayout, batch: Dimension): Dimension[] =>
  layout === 'scalar' ? [] : layout === 'row' ? [batch] : [batch, 1];

export function gaussianDenoiserModel(options: GaussianModelOptions): Uint8Array {
  const { shape, means, std } = options;
  const batch = options.batch ?? 'batch';
  const timeLayout = options.time ?? 'row';
  const floatType = options.float16 ? 'float16' : 'float32';
  const g = new OnnxGraphBuilder('gaussian_denoiser');
  const toFloat32 = (name: string) =>
    options.float16 ? g.op('Cast', [name], { to: intAttribute(elementTypeCode('float32')) }) : name;

  const x = toFloat32(MODEL_NAMES.x);
  let sigma = toFloat32(MODEL_NAMES.time);
  if (timeLayout !== 'scalar') {
    // [batch] or [batch, 1] → [batch, 1, …, 1], which broadcasts against [batch, ...S].
    sigma = g.op('Reshape', [sigma, g.int64Constant('sigma_shape', [-1, ...shape.map(() => 1)])]);
  }
  const variance = g.constant('variance', [std * std], []);
  const coefficient = g.op('Div', [variance, g.op('Add', [variance, g.op('Mul', [sigma, sigma])])]);

  let mean: string;
  if (options.classInput) {
    const table = new Float32Array(means.length * means[0]!.length);
    means.forEach((m, k) => table.set(m, k * m.length));
    let index: string = MODEL_NAMES.label;
    if (options.classInput.layout === 'column') {
      index = g.op('Reshape', [index, g.int64Constant('label_shape', [-1])]);
    }
    mean = g.op('Gather', [g.constant('means', table, [means.length, ...shape]), index], {
      axis: intAttribute(0),
    });
  } else {
    mean = g.constant('mean', means[0]!, [...shape]);
  }
  const denoised = g.op('Add', [mean, g.op('Mul', [coefficient, g.op('Sub', [x, mean])])]);
  if (options.float16) {
    g.op('Cast', [denoised], { to: intAttribute(elementTypeCode('float16')) }, MODEL_NAMES.output);
  } else {
    g.op('Identity', [denoised], {}, MODEL_NAMES.output);
  }
  if (options.extraOutput) g.op('Identity', [coefficient], {}, 'aux');

  const inputs: OnnxValueInfo[] = [
    { name: MODEL_NAMES.x, shape: [batch, ...shape], elementType: floatType },
    {
      name: MODEL_NAMES.time,
      shape: fedShape(timeLayout, options.timeBatch ?? batch),
      elementType: floatType,
    },
  ];
  if (options.classInput) {
    inputs.push({
      name: MODEL_NAMES.label,
      shape: fedShape(options.classInput.layout, batch),
      elementType: options.classInput.type,
    });
  }
  const outputs: OnnxValueInfo[] = [
    {
      name: MODEL_NAMES.output,
      shape: options.outputShape ?? [batch, ...shape],
      elementType: floatType,
    },
  ];
  if (options.extraOutput) {
    const aux = timeLayout === 'scalar' ? [] : [options.timeBatch ?? batch, ...shape.map(() => 1)];
    outputs.push({ name: 'aux', shape: aux });
  }
  return g.toModel(inputs, outputs);
}

/** D(x; σ) = μ + s²/(s²+σ²)(x − μ) row by row, in float64. */
export function gaussianDenoised(
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  std: number,
  sigma: number,
): Float64Array {
  const d = mean.length;
  const c = (std * std) / (std * std + sigma * sigma);
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = mean[k % d]! + c * (x[k]! - mean[k % d]!);
  return out;
}

/**
 * A model "out = f(x)" with x of any declared shape and element type, for the checks that never
 * reach arithmetic: `flatten` makes the output [batch, size(S)] whatever the declared output is.
 */
export function passThroughModel(options: {
  readonly x: readonly Dimension[];
  readonly xType?: 'float32' | 'float16' | 'int64' | 'int32';
  readonly time?: readonly Dimension[];
  /** The output's declared shape: x's when absent, none when null. */
  readonly output?: readonly Dimension[] | null;
  readonly flatten?: boolean;
}): Uint8Array {
  const g = new OnnxGraphBuilder('pass_through');
  if (options.flatten) g.op('Flatten', [MODEL_NAMES.x], { axis: intAttribute(1) }, 'out');
  else g.op('Identity', [MODEL_NAMES.x], {}, 'out');
  return g.toModel(
    [
      { name: MODEL_NAMES.x, shape: options.x, elementType: options.xType ?? 'float32' },
      { name: MODEL_NAMES.time, shape: options.time ?? ['batch'] },
    ],
    [
      {
        name: 'out',
        ...(options.output !== null ? { shape: options.output ?? options.x } : {}),
        elementType: options.xType ?? 'float32',
      },
    ],
  );
}
