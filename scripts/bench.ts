// `npm run bench`: times the real CLI, whole process included, on the empirical-denoiser workload
// of test/fixtures/empirical-bench.graph.json, and checks its samples against a float64
// reference computed here. Exits 1 when the median wall time reaches the target or the samples
// drift past the tolerance.
//
//   npm run bench -- [--runs 5] [--particles 20000] [--points 1000]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseNpy } from '../graph-nodes/math/npy';
import { BENCH_FIXTURE, readBenchWorkload, writeBenchInputs } from './bench-inputs';
import { maxAbsDifference, referenceSamples } from './bench-reference';

/** PyTorch on this machine's CPU (k-diffusion, matmul + softmax denoiser, float32), in seconds. */
const TARGET_SECONDS = 5.5;
/** Largest allowed |CLI − float64 reference| over all sample coordinates. */
const TOLERANCE = 1e-3;

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'principia.mjs');

interface TimedRun {
  readonly seconds: number;
  readonly solverMs: number;
  readonly maxDiff: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      particles: { type: 'string', default: '20000' },
      points: { type: 'string', default: '1000' },
    },
  });
  const [runs, particles, points] = [values.runs, values.particles, values.points].map(Number);
  const workload = readBenchWorkload();
  const dir = await mkdtemp(join(tmpdir(), 'principia-bench-'));
  try {
    const inputs = await writeBenchInputs(dir, particles!, points!, workload.sigmaMax);
    console.log(
      `workload: ${particles} particles, ${points} data points (two moons, d = 2), ` +
        `${workload.steps} steps of ${workload.algorithm}, Karras σ ${workload.sigmaMin}…` +
        `${workload.sigmaMax} ρ ${workload.rho}, exact empirical denoiser`,
    );
    process.stdout.write('float64 reference … ');
    const started = performance.now();
    const reference = referenceSamples(
      workload.algorithm,
      Float64Array.from(inputs.noise),
      { values: Float64Array.from(inputs.data), count: points!, dim: 2 },
      workload,
    );
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    const timed: TimedRun[] = [];
    console.log('run   wall (s)   solver (s)   particle-steps/s   max |diff|');
    for (let run = 1; run <= runs!; run++) {
      const out = join(dir, `samples-${run}.npy`);
      const { seconds, report } = await timeCli([
        'run',
        BENCH_FIXTURE,
        '--set',
        `noise.path=${inputs.noisePath}`,
        '--set',
        `data.path=${inputs.dataPath}`,
        '--save',
        `solver.samples=${out}`,
        '--json',
      ]);
      const samples = parseNpy(new Uint8Array(await readFile(out)), out).data;
      const result: TimedRun = {
        seconds,
        solverMs: report.nodes.solver?.ms ?? NaN,
        maxDiff: maxAbsDifference(samples, reference),
      };
      timed.push(result);
      console.log(
        `${String(run).padStart(3)}   ${result.seconds.toFixed(2).padStart(8)}   ` +
          `${(result.solverMs / 1000).toFixed(2).padStart(10)}   ` +
          `${rate(particles! * workload.steps, result.seconds).padStart(16)}   ` +
          `${result.maxDiff.toExponential(2).padStart(10)}`,
      );
    }

    const seconds = timed.map((run) => run.seconds).sort((a, b) => a - b);
    const median = seconds[Math.floor((seconds.length - 1) / 2)]!;
    const worstDiff = Math.max(...timed.map((run) => run.maxDiff));
    const fast = median < TARGET_SECONDS;
    const accurate = worstDiff <= TOLERANCE;
    console.log(
      `\nmedian ${median.toFixed(2)} s, min ${seconds[0]!.toFixed(2)} s, ` +
        `${rate(particles! * workload.steps, median)} particle-steps/s at the median\n` +
        `time:     ${fast ? 'PASS' : 'FAIL'} (median < ${TARGET_SECONDS} s, the PyTorch CPU baseline)\n` +
        `accuracy: ${accurate ? 'PASS' : 'FAIL'} (max |diff| ${worstDiff.toExponential(2)} ≤ ${TOLERANCE} against float64)`,
    );
    return fast && accurate ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function rate(particleSteps: number, seconds: number): string {
  return Math.round(particleSteps / seconds).toLocaleString('en-US');
}

interface CliReport {
  ok: boolean;
  nodes: Record<string, { ms: number } | undefined>;
}

/** Runs the CLI as users do (its own process) and times it from spawn to exit. */
function timeCli(args: readonly string[]): Promise<{ seconds: number; report: CliReport }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        fail(new Error(`principia exited with ${code}:\n${stderr}${stdout}`));
        return;
      }
      done({ seconds, report: JSON.parse(stdout) as CliReport });
    });
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
