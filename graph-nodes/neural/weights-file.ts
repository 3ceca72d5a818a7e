// Saved weights: a JSON manifest (architecture, preconditioning, training settings, tensor table)
// beside a small binary of float32 little-endian values. The manifest names its binary relative to
// itself, so the pair moves together; both are read through the FileHost, so paths are relative to
// the graph file like every other file param.
import { z } from 'zod';
import { asFileNotFound } from '../core/file-not-found';
import type { FileHost } from '../core/node-definition';
import { mlpArchitectureSchema, parameterNames, layerShapes } from './mlp';

export const WEIGHTS_FORMAT = 'principia-weights';

export const LEARNED_MODELS = [
  'mlp-denoiser',
  'consistency-flowmap',
  'ctm-flowmap',
  'meanflow-flowmap',
] as const;
export type LearnedModelKind = (typeof LEARNED_MODELS)[number];

const tensorEntrySchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  /** Offset into the binary, in float32 elements. */
  offset: z.number().int().nonnegative(),
});

export const weightsManifestSchema = z.object({
  format: z.literal(WEIGHTS_FORMAT),
  version: z.literal(1),
  model: z.enum(LEARNED_MODELS),
  architecture: mlpArchitectureSchema,
  /** EDM σ_data of the preconditioning wrapped around the network. */
  sigmaData: z.number().positive(),
  /** Flow maps: the smallest noise level ε they were trained down to (their data end). */
  epsilon: z.number().positive().optional(),
  /** How the weights were made (settings, seed, final loss): for people, not read back. */
  training: z.record(z.string(), z.unknown()),
  /** File name of the float32 binary, in the manifest's folder (a name, never a path). */
  bin: z.string().min(1).refine(isPlainFileName, 'must be a file name beside the manifest'),
  tensors: z.array(tensorEntrySchema),
});
export type WeightsManifest = z.infer<typeof weightsManifestSchema>;

/** A trained network: what the manifest says plus its parameters in storage order. */
export interface LearnedModel {
  readonly model: LearnedModelKind;
  readonly architecture: WeightsManifest['architecture'];
  readonly sigmaData: number;
  readonly epsilon?: number;
  readonly training: Readonly<Record<string, unknown>>;
  readonly parameters: readonly Float32Array[];
}

/** `dir/name.bin` for `dir/name.json`. */
export function binPathFor(manifestPath: string): string {
  return manifestPath.replace(/\.json$/i, '') + '.bin';
}

/** A name in one folder: no separators, not "." or "..", no NUL. */
function isPlainFileName(name: string): boolean {
  return /^[^\\/\0]+$/.test(name) && name !== '.' && name !== '..';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

export function encodeWeights(
  model: LearnedModel,
  manifestPath: string,
): { manifest: Uint8Array; bin: Uint8Array } {
  const names = parameterNames(model.architecture);
  const shapes = layerShapes(model.architecture).flatMap(([i, o]) => [[i, o], [o]]);
  checkParameterSizes(model.parameters, shapes, manifestPath);
  const total = model.parameters.reduce((sum, p) => sum + p.length, 0);
  const bin = new Uint8Array(total * 4);
  const view = new DataView(bin.buffer);
  let offset = 0;
  const tensors = model.parameters.map((values, k) => {
    const entry = { name: names[k]!, shape: shapes[k]!, offset };
    values.forEach((value, j) => view.setFloat32((offset + j) * 4, value, true));
    offset += values.length;
    return entry;
  });
  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    version: 1,
    model: model.model,
    architecture: model.architecture,
    sigmaData: model.sigmaData,
    ...(model.epsilon !== undefined ? { epsilon: model.epsilon } : {}),
    training: { ...model.training },
    bin: baseName(binPathFor(manifestPath)),
    tensors,
  };
  return { manifest: new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'), bin };
}

export function decodeWeights(
  manifestBytes: Uint8Array,
  bin: Uint8Array,
  manifestPath: string,
): LearnedModel {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (error) {
    throw new Error(`${manifestPath} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = weightsManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${manifestPath} is not a Principia weights manifest: ${issue.path.join('.') || '(root)'}: ` +
        issue.message,
    );
  }
  const manifest = parsed.data;
  if (bin.byteLength % 4 !== 0) {
    throw new Error(`${manifest.bin}: ${bin.byteLength} bytes is not a whole number of float32s`);
  }
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const names = parameterNames(manifest.architecture);
  const shapes = layerShapes(manifest.architecture).flatMap(([i, o]) => [[i, o], [o]]);
  const parameters = names.map((name, k) => {
    const entry = manifest.tensors.find((t) => t.name === name);
    if (!entry) throw new Error(`${manifestPath}: the tensor "${name}" is missing`);
    const expected = shapes[k]!;
    if (entry.shape.join(',') !== expected.join(',')) {
      throw new Error(
        `${manifestPath}: "${name}" has shape [${entry.shape}] but the architecture needs [${expected}]`,
      );
    }
    const length = expected.reduce((a, b) => a * b, 1);
    if ((entry.offset + length) * 4 > bin.byteLength) {
      throw new Error(`${manifest.bin} is too short for "${name}" (${bin.byteLength} bytes)`);
    }
    return Float32Array.from({ length }, (_, j) => view.getFloat32((entry.offset + j) * 4, true));
  });
  return {
    model: manifest.model,
    architecture: manifest.architecture,
    sigmaData: manifest.sigmaData,
    ...(manifest.epsilon !== undefined ? { epsilon: manifest.epsilon } : {}),
    training: manifest.training,
    parameters,
  };
}

export async function writeWeights(
  files: FileHost,
  manifestPath: string,
  model: LearnedModel,
): Promise<void> {
  const { manifest, bin } = encodeWeights(model, manifestPath);
  // The binary first: a manifest never points at a binary that is not there yet.
  await files.write(binPathFor(manifestPath), bin);
  await files.write(manifestPath, manifest);
}

export async function readWeights(files: FileHost, manifestPath: string): Promise<LearnedModel> {
  const manifestBytes = await readNamed(files, manifestPath, 'weights manifest');
  const manifest = decodeManifestBinName(manifestBytes);
  if (manifest !== undefined && !isPlainFileName(manifest)) {
    // A manifest is a file a graph names, so untrusted: its bin may not lead anywhere else.
    throw new Error(
      `${manifestPath}: its "bin" is "${manifest}", but it must be a file name beside the manifest`,
    );
  }
  const binPath = folderOf(manifestPath) + (manifest ?? baseName(binPathFor(manifestPath)));
  const bin = await readNamed(files, binPath, 'weights binary');
  return decodeWeights(manifestBytes, bin, manifestPath);
}

function decodeManifestBinName(bytes: Uint8Array): string | undefined {
  try {
    const bin = (JSON.parse(new TextDecoder().decode(bytes)) as { bin?: unknown }).bin;
    return typeof bin === 'string' && bin !== '' ? bin : undefined;
  } catch {
    return undefined; // decodeWeights reports the bad JSON with its reason
  }
}

async function readNamed(files: FileHost, path: string, what: string): Promise<Uint8Array> {
  try {
    return await files.read(path);
  } catch (error) {
    // A missing file keeps the host's "file not found: PATH (resolved from FOLDER)".
    const missing = asFileNotFound(error);
    if (missing) throw missing;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not read the ${what} "${path}": ${reason}`, { cause: error });
  }
}

function checkParameterSizes(
  parameters: readonly Float32Array[],
  shapes: readonly number[][],
  where: string,
): void {
  if (parameters.length !== shapes.length) {
    throw new Error(`${where}: ${parameters.length} tensors for ${shapes.length} parameters`);
  }
  parameters.forEach((p, k) => {
    const length = shapes[k]!.reduce((a, b) => a * b, 1);
    if (p.length !== length)
      throw new Error(`${where}: tensor ${k} has ${p.length} values, not ${length}`);
  });
}
