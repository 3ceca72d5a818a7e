// `npm run bench:onnx` (also part of `npm run bench`): sampling with a real ONNX image model. The
// CLI, whole process included, runs test/fixtures/unet-bench.graph.json: 64 samples of class 7
// from the bundled Fashion-MNIST U-Net (presets/weights/fashion-unet.onnx), 20 Heun Karras steps,
// 39 network calls on batches of 64. Median of 3 beside PyTorch driving the same network with the
// same sampler. Exits 1 when the median is slower than PyTorch's, the run fails, or it does not
// make 39 network calls.
//
//   npm run bench:onnx -- [--runs 3]
//
// PyTorch baseline: scripts/bench-pytorch.py unet --checkpoint EMA.pt --threads 2 (torch 1.13,
// CPU, float32; the EMA weights train-fashion-unet.py saved with the run that exported the bundled
// model: its convolution weights equal the ONNX file's initializers), whole process timed, on the
// project's 2-core development machine (Debian 12, 24 GiB):
//   2026-12-05: 5.91, 6.35, 5.33 s (sampling alone 4.5–5.5 s; peak resident 347–378 MiB)
import { parseArgs } from 'node:util';
import { timeCli } from './bench-cli';

const FIXTURE = 'test/fixtures/unet-bench.graph.json';
const MODEL = 'presets/weights/fashion-unet.onnx';
const PYTORCH_SECONDS = 5.9;
const PYTORCH_NOTE = 'PyTorch 5.3–6.4 s, median 5.9 s (2026-12-05)';
/** Heun on 20 steps: two calls a step but for the last, which lands on σ = 0. */
const NETWORK_CALLS = 39;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  console.log(
    `\nonnx: the bundled U-Net (${MODEL}), 64 samples of class 7, 20 Heun Karras steps ` +
      `(${NETWORK_CALLS} calls on batches of 64)`,
  );
  console.log('run   wall (s)   solver (s)   peak (MiB)   calls');
  const seconds: number[] = [];
  let callsRight = true;
  for (let run = 1; run <= runs; run++) {
    const timed = await timeCli(['run', FIXTURE, '--set', `denoiser.path=${MODEL}`, '--json']);
    const solver = timed.report.nodes['solver'];
    callsRight &&= timed.report.ok && solver?.nfe === NETWORK_CALLS;
    seconds.push(timed.seconds);
    console.log(
      `${String(run).padStart(3)}   ${timed.seconds.toFixed(2).padStart(8)}   ` +
        `${((solver?.ms ?? NaN) / 1000).toFixed(2).padStart(10)}   ` +
        `${(timed.peakMiB?.toFixed(0) ?? 'n/a').padStart(10)}   ${String(solver?.nfe).padStart(5)}`,
    );
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const fast = median <= PYTORCH_SECONDS;
  console.log(
    `median ${median.toFixed(2)} s (min ${sorted[0]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}), ` +
      `${(median / PYTORCH_SECONDS).toFixed(2)}× PyTorch; ${PYTORCH_NOTE}\n` +
      `time:  ${fast ? 'PASS' : 'FAIL'} (median ≤ 1.0 × ${PYTORCH_SECONDS} s)\n` +
      `calls: ${callsRight ? 'PASS' : 'FAIL'} (${NETWORK_CALLS} network calls, run ok)`,
  );
  return fast && callsRight ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
