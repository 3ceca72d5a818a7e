// `npm run bench` (this part): the speed-up of `principia sweep --jobs 2` over `--jobs 1` on the
// "Error vs NFE" preset's own grid (5 solvers × 4 step counts), whole process timed, with a check
// that both print the same numbers (everything but wall times, bit for bit). Then what sharing the
// work every grid point has in common would gain over recomputing it in each worker:
//
// - the rk45 reference's cost, from the CLI's per-node timing;
// - the sweep with --jobs 2 when the reference costs nothing (an Euler "reference" of 4 steps):
//   the wall time of a perfectly shared reference, computed for free and sent for free;
// - what sending the reference's outputs to a worker costs (V8 serialize + deserialize, the IPC
//   channel's own format), measured here in-process.
//
//   npm run bench -- …  or  npx tsx scripts/bench-sweep.ts [--runs 5]
//
// Exits 1 only when --jobs 2 prints numbers --jobs 1 does not.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import { catalogue, compileGraph, Executor, parseGraphText } from '../graph-nodes';
import type { Samples, Trajectory } from '../graph-nodes/core/values';
import { initNodeBackend } from '../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../graph-nodes/runtime/node-files';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'principia.mjs');
const PRESETS = join(REPO_ROOT, 'presets');
const GRAPH = join(PRESETS, 'error-vs-nfe.graph.json');
/** The preset's grid (a --set replaces the graph's own), with a reference that costs nothing. */
const FREE_REFERENCE = [
  '--set',
  'solver.algorithm=euler,heun,dpm_2,dpmpp_2m,uni_pc',
  '--set',
  'timesteps.steps=5,10,20,40',
  '--set',
  'reference.algorithm=euler',
];

interface Timed {
  readonly seconds: number;
  /** CPU seconds of the CLI and its workers (user + system), where /usr/bin/time can say. */
  readonly cpuSeconds?: number;
  readonly stdout: string;
}

/** GNU time reports a process's CPU time, its waited-for children's included. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_MARK = 'principia-bench-cpu';

/** Runs the CLI in its own process, timed from spawn to exit. */
function timeCli(args: readonly string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const command = [process.execPath, CLI, ...args];
    const child = GNU_TIME
      ? spawn(GNU_TIME, ['-f', `${CPU_MARK} %U %S`, ...command], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(command[0]!, command.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`, 'u').exec(stderr);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined;
      if (code === 0)
        resolve({ seconds, stdout, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}) });
      else reject(new Error(`principia ${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

/** The sweep's JSON without wall times, which no two runs share. */
function numbersOf(json: string): string {
  const parsed = JSON.parse(json) as { points: { ms?: number }[] };
  for (const point of parsed.points) delete point.ms;
  return JSON.stringify(parsed);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const seconds = (value: number) => `${value.toFixed(2)} s`;

/** The reference's cost on the CLI, and what shipping its outputs to a worker would cost. */
async function referenceCosts(runs: number) {
  const referenceMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { stdout } = await timeCli(['run', GRAPH, '--json']);
    const report = JSON.parse(stdout) as { nodes: Record<string, { ms: number }> };
    referenceMs.push(report.nodes['reference']!.ms);
  }

  await initNodeBackend('wasm');
  const graph = parseGraphText(readFileSync(GRAPH, 'utf8'), GRAPH);
  const plan = compileGraph(graph, catalogue, { file: GRAPH });
  const executor = new Executor({ files: nodeFileHost(PRESETS) });
  try {
    const summary = await executor.run(await executor.probe(plan, GRAPH), {
      targets: ['reference'],
    });
    if (!summary.ok) throw new Error(`the reference failed: ${summary.error?.message}`);
    const trajectory = executor.output('reference', 'trajectory') as Trajectory;
    const samples = executor.output('reference', 'samples') as Samples;
    const sendMs: number[] = [];
    let bytes = 0;
    for (let run = 0; run < 20; run++) {
      const started = performance.now();
      // What a worker would be sent: the trajectory as it is (typed arrays), the samples' data.
      const message = serialize({
        trajectory,
        samples: { data: samples.points.dataSync(), shape: samples.points.shape },
      });
      const received = deserialize(message) as { samples: { data: Float32Array; shape: number[] } };
      tf.tensor(received.samples.data, received.samples.shape).dispose();
      sendMs.push(performance.now() - started);
      bytes = message.byteLength;
    }
    return {
      referenceMs: median(referenceMs),
      sendMs: median(sendMs),
      bytes,
      frames: trajectory.frames.length,
    };
  } finally {
    executor.dispose();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Math.max(1, Number(values.runs) || 3);
  console.log(
    `\nsweep --jobs: the "Error vs NFE" preset's grid (20 points), whole process, median of ` +
      `${runs}; ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at start`,
  );
  // Builds the CLI bundle if the sources changed, so no timed run pays for it.
  await timeCli(['sweep', GRAPH, '--set', 'timesteps.steps=2', '--json', '--jobs', '1']);

  const wall: Record<string, number[]> = { '1': [], '2': [], 'free 1': [], 'free 2': [] };
  const cpu: Record<string, number[]> = { '1': [], '2': [] };
  let expected: string | undefined;
  let same = true;
  for (let run = 0; run < runs; run++) {
    // Alternating order, so a burst of load elsewhere does not land on one setting only.
    const order = run % 2 ? ['2', '1'] : ['1', '2'];
    for (const jobs of order) {
      const timed = await timeCli(['sweep', GRAPH, '--json', '--jobs', jobs]);
      wall[jobs]!.push(timed.seconds);
      if (timed.cpuSeconds !== undefined) cpu[jobs]!.push(timed.cpuSeconds);
      const numbers = numbersOf(timed.stdout);
      expected ??= numbers;
      if (numbers !== expected) same = false;
    }
    for (const jobs of order) {
      const timed = await timeCli(['sweep', GRAPH, ...FREE_REFERENCE, '--json', '--jobs', jobs]);
      wall[`free ${jobs}`]!.push(timed.seconds);
      const { points } = JSON.parse(timed.stdout) as { points: unknown[] };
      if (points.length !== 20)
        throw new Error(`the free-reference sweep ran ${points.length} points`);
    }
  }
  const one = median(wall['1']!);
  const two = median(wall['2']!);
  console.log('jobs   wall (median)   CPU, all processes (median)   wall, each run');
  for (const jobs of ['1', '2']) {
    const cpuText = cpu[jobs]!.length ? seconds(median(cpu[jobs]!)) : '–';
    console.log(
      `${jobs.padEnd(6)} ${seconds(median(wall[jobs]!)).padEnd(15)} ${cpuText.padEnd(29)} ` +
        wall[jobs]!.map((s) => s.toFixed(2)).join(', '),
    );
  }
  console.log(`speed-up of --jobs 2 over --jobs 1: ${(one / two).toFixed(2)}×`);
  if (cpu['1']!.length && cpu['2']!.length) {
    // With two idle cores the work of --jobs 2 splits in two at best; CPU time barely depends
    // on what else the machine runs, so this bound holds when the wall times above are noisy.
    const bound = median(cpu['1']!) / (median(cpu['2']!) / 2);
    console.log(`on two idle cores the speed-up would be at most ${bound.toFixed(2)}× (CPU time)`);
  }
  console.log(`same numbers (all but wall times) with --jobs 2 as with --jobs 1: ${same}`);

  const costs = await referenceCosts(runs);
  const free1 = median(wall['free 1']!);
  const free2 = median(wall['free 2']!);
  console.log(
    `\nshared vs recomputed common work (the rk45 reference; prior and data take ~1 ms each):\n` +
      `  the reference, computed in each worker: ${costs.referenceMs.toFixed(0)} ms\n` +
      `  sending it to a worker instead (${(costs.bytes / 1024).toFixed(0)} KiB, ${costs.frames} ` +
      `frames, V8 serialize + deserialize): ${costs.sendMs.toFixed(2)} ms\n` +
      `  the sweep with a reference that costs nothing: --jobs 1 ${seconds(free1)}, --jobs 2 ` +
      `${seconds(free2)}\n` +
      `  recomputed (--jobs 2 as built): ${seconds(two)}; shared, at best (free reference, ` +
      `computed once beforehand by the parent and sent): ${seconds(free2)} + ` +
      `${(costs.referenceMs / 1000).toFixed(2)} s + ${(costs.sendMs / 1000).toFixed(3)} s = ` +
      `${seconds(free2 + costs.referenceMs / 1000 + costs.sendMs / 1000)}`,
  );
  if (!same) console.error('error: --jobs 2 printed different numbers from --jobs 1');
  return same ? 0 : 1;
}

process.exitCode = await main();
