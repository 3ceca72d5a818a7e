// Writes a trained MLP denoiser as an ONNX model: the whole D(x̃; σ) — EDM preconditioning,
// sinusoidal features, the MLP — so onnxruntime reproduces what the tfjs denoiser computes.
// Inputs "x" [batch, d] and "sigma" [batch]; output "denoised" [batch, d] (an x₀ prediction).
import type { LearnedModel } from '../neural/weights-file';
import { OnnxGraphBuilder, intAttribute } from './onnx-graph';

export const EXPORTED_INPUTS = { x: 'x', sigma: 'sigma' } as const;
export const EXPORTED_OUTPUT = 'denoised';

export function exportMlpDenoiserToOnnx(model: LearnedModel): Uint8Array {
  if (model.model !== 'mlp-denoiser') {
    throw new Error(`only mlp-denoiser weights export to ONNX (got ${model.model})`);
  }
  const arch = model.architecture;
  const g = new OnnxGraphBuilder('principia_mlp_denoiser');
  const sd = model.sigmaData;
  const column = g.int64Constant('column_shape', [-1, 1]);
  const scalar = (name: string, value: number) => g.constant(name, [value], []);
  const asColumn = (value: string) => g.op('Reshape', [value, column]);

  // c_in = 1/√(σ² + σ_d²), c_skip = σ_d²/(σ² + σ_d²), c_out = σ σ_d/√(σ² + σ_d²), c_noise = ln σ / 4.
  const sigma = asColumn(EXPORTED_INPUTS.sigma);
  const total = g.op('Add', [g.op('Mul', [sigma, sigma]), scalar('sigma_data_sq', sd * sd)]);
  const root = g.op('Sqrt', [total]);
  const cIn = g.op('Div', [scalar('one', 1), root]);
  const cSkip = g.op('Div', [scalar('sigma_data_sq', sd * sd), total]);
  const cOut = g.op('Div', [g.op('Mul', [sigma, scalar('sigma_data', sd)]), root]);
  const cNoise = g.op('Mul', [g.op('Log', [sigma]), scalar('quarter', 0.25)]);

  const frequencies = g.constant('frequencies', arch.frequencies, [1, arch.frequencies.length]);
  const angles = g.op('MatMul', [cNoise, frequencies]);
  let h = g.op(
    'Concat',
    [g.op('Mul', [EXPORTED_INPUTS.x, cIn]), g.op('Sin', [angles]), g.op('Cos', [angles])],
    { axis: intAttribute(1) },
  );
  const layers = model.parameters.length / 2;
  for (let k = 0; k < layers; k++) {
    const weight = model.parameters[2 * k]!;
    const bias = model.parameters[2 * k + 1]!;
    const w = g.constant(`layer${k}_weight`, weight, [weight.length / bias.length, bias.length]);
    const b = g.constant(`layer${k}_bias`, bias, [bias.length]);
    const z = g.op('Gemm', [h, w, b]);
    h = k === layers - 1 ? z : g.op('Mul', [z, g.op('Sigmoid', [z])]);
  }
  g.op(
    'Add',
    [g.op('Mul', [EXPORTED_INPUTS.x, cSkip]), g.op('Mul', [h, cOut])],
    {},
    EXPORTED_OUTPUT,
  );
  return g.toModel(
    [
      { name: EXPORTED_INPUTS.x, shape: ['batch', arch.inputDim] },
      { name: EXPORTED_INPUTS.sigma, shape: ['batch'] },
    ],
    [{ name: EXPORTED_OUTPUT, shape: ['batch', arch.outputDim] }],
    { 'principia.time': 'sigma', 'principia.prediction': 'x0' },
  );
}
