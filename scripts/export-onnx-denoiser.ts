// Writes a trained MLP denoiser's weights (manifest + .bin) as an ONNX model, the way the
// "Bring your own ONNX model" preset's bundled model is made:
//
//   npx tsx scripts/export-onnx-denoiser.ts presets/weights/train-a-denoiser.json out.onnx
import { writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { readWeights } from '../graph-nodes/neural/weights-file';
import { exportMlpDenoiserToOnnx } from '../graph-nodes/onnx/export-mlp-denoiser';
import { nodeFileHost } from '../graph-nodes/runtime/node-files';

const [manifest, output] = process.argv.slice(2);
if (!manifest || !output) {
  process.stderr.write('usage: tsx scripts/export-onnx-denoiser.ts WEIGHTS.json OUT.onnx\n');
  process.exit(2);
}
const model = await readWeights(nodeFileHost(dirname(manifest)), basename(manifest));
const bytes = exportMlpDenoiserToOnnx(model);
await writeFile(output, bytes);
process.stdout.write(`wrote ${output} (${bytes.byteLength} bytes)\n`);
