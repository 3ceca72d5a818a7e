// Splits the empirical kernel's rows across worker threads in Node, synchronously.
//
// Denoiser.denoise is synchronous (solvers call it inside tf.tidy), so the calling thread cannot
// await a worker: it publishes the job in shared memory, works on it too, and blocks in
// Atomics.wait until every chunk is done. Threads claim row chunks from one counter, so a thread
// that the (shared, busy) machine slows down simply takes fewer chunks.
//
// Only Node has worker_threads; it is reached through process.getBuiltinModule so that nothing
// here is imported by a browser bundle, where createRowThreads returns undefined and the caller
// stays on one thread. Workers run the kernel's own functions, passed as source text; the
// functions below that workers run take the kernel as an argument, because module transforms
// (vitest's, for one) rewrite references to imports into names that a worker does not have.
import type * as WorkerThreads from 'node:worker_threads';
import {
  boundBlocks,
  createEmpiricalScratch,
  createExpTable,
  denoiseRows,
  denoiseRowsAnyDim,
  denoiseRowsPlanar,
  expNonPositive,
  type EmpiricalIndex,
  type EmpiricalScratch,
} from './empirical-kernel';

/** Rows one claim takes: small enough to balance two threads, large enough to amortise a claim. */
const DEFAULT_CHUNK_ROWS = 256;

// ctrl (Int32): the job generation workers wait on, the claim word, chunks done, stop, failure.
const GENERATION = 0;
const CLAIM = 1;
const DONE = 2;
const STOP = 3;
const FAILED = 4;
// params (Float64): the open job's σ̃, row count, rows per chunk, chunk count.
const SIGMA = 0;
const ROWS = 1;
const CHUNK_ROWS = 2;
const CHUNKS = 3;

// The claim word is (tag << 16) | next chunk. Tag 0 means "closed": the caller closes it before
// rewriting the job, so a thread still holding an older job's parameters can never claim again.
const MAX_CHUNKS = 0xfff0;

interface SharedJob {
  readonly ctrl: Int32Array;
  readonly params: Float64Array;
  x: Float64Array;
  out: Float32Array;
}

export interface RowThreads {
  /** D for all rows of x ([rows, dim]); the result is a fresh array the caller owns. */
  denoise(x: ArrayLike<number>, rows: number, sigmaTilde: number): Float32Array;
  /** How many of the last call's row chunks the workers took (the rest ran on the caller). */
  readonly lastWorkerChunks: number;
  /** Stops the workers. */
  dispose(): void;
}

/**
 * Claims chunks of the open job tagged `tag` until none are left; the loop both the caller and
 * the workers run. `job` holds the parameters read when the job was seen to open. Returns how
 * many chunks this thread did.
 */
export function claimChunks(
  shared: SharedJob,
  tag: number,
  job: Float64Array,
  index: EmpiricalIndex,
  scratch: EmpiricalScratch,
  cutoff: number,
  denoise: typeof denoiseRows,
): number {
  const { ctrl, x, out } = shared;
  let done = 0;
  for (;;) {
    const word = Atomics.load(ctrl, CLAIM);
    const chunk = word & 0xffff;
    if (word >>> 16 !== tag || chunk >= job[CHUNKS]!) return done;
    if (Atomics.compareExchange(ctrl, CLAIM, word, word + 1) !== word) continue;
    const start = chunk * job[CHUNK_ROWS]!;
    const end = Math.min(job[ROWS]!, start + job[CHUNK_ROWS]!);
    denoise(index, x, start, end, job[SIGMA]!, out, scratch, cutoff);
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
    done++;
  }
}

/** A worker's whole life: wait for a job, claim chunks, repeat until told to stop. */
function workerMain(
  data: { index: EmpiricalIndex; ctrl: Int32Array; params: Float64Array; cutoff: number },
  port: WorkerThreads.MessagePort,
  receive: typeof WorkerThreads.receiveMessageOnPort,
  kernel: {
    denoiseRows: typeof denoiseRows;
    createEmpiricalScratch: typeof createEmpiricalScratch;
  },
): void {
  const { index, ctrl, params, cutoff } = data;
  const shared = { ctrl, params, x: new Float64Array(0), out: new Float32Array(0) };
  const scratch = kernel.createEmpiricalScratch(index, cutoff);
  const job = new Float64Array(4);
  let seen = 0;
  try {
    for (;;) {
      Atomics.wait(ctrl, GENERATION, seen);
      if (Atomics.load(ctrl, STOP) !== 0) return;
      seen = Atomics.load(ctrl, GENERATION);
      for (let message = receive(port); message; message = receive(port)) {
        shared.x = message.message.x;
        shared.out = message.message.out;
      }
      job.set(params);
      claimChunks(shared, seen, job, index, scratch, cutoff, kernel.denoiseRows);
    }
  } catch (error) {
    Atomics.store(ctrl, FAILED, 1);
    Atomics.notify(ctrl, DONE);
    throw error;
  }
}

const WORKER_FUNCTIONS = [
  expNonPositive,
  boundBlocks,
  denoiseRowsAnyDim,
  denoiseRowsPlanar,
  denoiseRows,
  createExpTable,
  createEmpiricalScratch,
];

/**
 * The identifier a function is declared with in its own source text, which is what the worker's
 * code can call it by. A bundler may rename a function whose name another module also uses
 * (`denoiseRows` → `denoiseRows2`) and still report the old `.name`, so the text decides.
 */
function declaredName(fn: (...args: never[]) => unknown): string {
  const match = /^(?:async\s+)?function\s*\*?\s*([\w$]+)/u.exec(String(fn));
  if (!match?.[1]) throw new Error(`cannot name ${fn.name} for the denoiser's worker threads`);
  return match[1];
}

function workerSource(): string {
  const constants = { GENERATION, CLAIM, DONE, STOP, FAILED, SIGMA, ROWS, CHUNK_ROWS, CHUNKS };
  return [
    '"use strict";',
    // Transpilers may wrap named functions in __name(...) to keep their names; that is harmless.
    'var __name = (target) => target;',
    ...Object.entries(constants).map(([name, value]) => `const ${name} = ${value};`),
    ...WORKER_FUNCTIONS.map(String),
    String(claimChunks),
    'const { workerData, receiveMessageOnPort } = require("node:worker_threads");',
    `(${String(workerMain)})(workerData, workerData.port, receiveMessageOnPort, ` +
      `{ denoiseRows: ${declaredName(denoiseRows)}, ` +
      `createEmpiricalScratch: ${declaredName(createEmpiricalScratch)} });`,
  ].join('\n');
}

function nodeWorkerThreads(): typeof WorkerThreads | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return host?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The caller plus `threads − 1` workers over the same index, or undefined where worker threads
 * are unavailable (browsers, or a Node without getBuiltinModule).
 */
export function createRowThreads(
  index: EmpiricalIndex,
  threads: number,
  cutoff: number,
  chunkRows = DEFAULT_CHUNK_ROWS,
): RowThreads | undefined {
  const workerThreads = nodeWorkerThreads();
  if (!workerThreads || threads < 2) return undefined;
  const shared: SharedJob = {
    ctrl: new Int32Array(new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT)),
    params: new Float64Array(new SharedArrayBuffer(4 * Float64Array.BYTES_PER_ELEMENT)),
    x: new Float64Array(0),
    out: new Float32Array(0),
  };
  const { ctrl, params } = shared;
  const ports: WorkerThreads.MessagePort[] = [];
  const workers = Array.from({ length: threads - 1 }, () => {
    const { port1, port2 } = new workerThreads.MessageChannel();
    ports.push(port1);
    const worker = new workerThreads.Worker(workerSource(), {
      eval: true,
      workerData: { index, ctrl, params, cutoff, port: port2 },
      transferList: [port2],
    });
    // A denoiser nobody disposed must not keep the process alive.
    worker.unref();
    port1.unref();
    return worker;
  });
  const scratch = createEmpiricalScratch(index, cutoff);
  const job = new Float64Array(4);
  let generation = 0;
  let usable = true;
  let lastWorkerChunks = 0;

  const runOnOneThread = (rows: number, sigmaTilde: number): void =>
    denoiseRows(index, shared.x, 0, rows, sigmaTilde, shared.out, scratch, cutoff);

  return {
    denoise(x, rows, sigmaTilde) {
      const size = rows * index.dim;
      if (shared.x.length < size) {
        shared.x = new Float64Array(new SharedArrayBuffer(size * Float64Array.BYTES_PER_ELEMENT));
        shared.out = new Float32Array(new SharedArrayBuffer(size * Float32Array.BYTES_PER_ELEMENT));
        for (const port of ports) port.postMessage({ x: shared.x, out: shared.out });
      }
      for (let k = 0; k < size; k++) shared.x[k] = x[k]!;
      if (usable) {
        generation = (generation % 0x7fff) + 1;
        const rowsPerChunk = Math.max(chunkRows, Math.ceil(rows / MAX_CHUNKS));
        job.set([sigmaTilde, rows, rowsPerChunk, Math.ceil(rows / rowsPerChunk)]);
        // Closed while the job is rewritten (see CLAIM above), then opened and announced.
        Atomics.store(ctrl, CLAIM, 0);
        params.set(job);
        Atomics.store(ctrl, DONE, 0);
        Atomics.store(ctrl, CLAIM, generation << 16);
        Atomics.store(ctrl, GENERATION, generation);
        Atomics.notify(ctrl, GENERATION);
        const callerChunks = claimChunks(
          shared,
          generation,
          job,
          index,
          scratch,
          cutoff,
          denoiseRows,
        );
        for (;;) {
          const done = Atomics.load(ctrl, DONE);
          if (done >= job[CHUNKS]! || Atomics.load(ctrl, FAILED) !== 0) break;
          Atomics.wait(ctrl, DONE, done, 1000);
        }
        Atomics.store(ctrl, CLAIM, 0);
        lastWorkerChunks = job[CHUNKS]! - callerChunks;
        // A worker that failed may have left chunks half written: redo the job here, once.
        if (Atomics.load(ctrl, FAILED) !== 0) {
          usable = false;
          runOnOneThread(rows, sigmaTilde);
        }
      } else {
        lastWorkerChunks = 0;
        runOnOneThread(rows, sigmaTilde);
      }
      return shared.out.slice(0, size);
    },
    get lastWorkerChunks() {
      return lastWorkerChunks;
    },
    dispose() {
      Atomics.store(ctrl, STOP, 1);
      Atomics.add(ctrl, GENERATION, 1);
      Atomics.notify(ctrl, GENERATION);
      for (const worker of workers) void worker.terminate();
      for (const port of ports) port.close();
    },
  };
}
