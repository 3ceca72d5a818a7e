// A RunContext for calling a node's run() directly in unit tests, with in-memory files.
import type { FileHost, RunContext } from '../../../graph-nodes/core/node-definition';
import type { TrajectoryFrame } from '../../../graph-nodes/core/values';

export interface TestContext<P> extends RunContext<P> {
  readonly frames: TrajectoryFrame[];
  readonly progressLog: [number, number][];
  nfe: number;
}

export function memoryFiles(initial: Record<string, Uint8Array> = {}): FileHost & {
  files: Map<string, Uint8Array>;
} {
  const files = new Map(Object.entries(initial));
  return {
    files,
    async read(path) {
      const bytes = files.get(path);
      if (!bytes) throw new Error(`no such file: ${path}`);
      return bytes;
    },
    async write(path, bytes) {
      files.set(path, bytes);
    },
  };
}

export function makeTestContext<P>(
  params: P,
  options: { files?: FileHost; signal?: AbortSignal; nodeId?: string } = {},
): TestContext<P> {
  const signal = options.signal ?? new AbortController().signal;
  const ctx: TestContext<P> = {
    nodeId: options.nodeId ?? 'test',
    params,
    signal,
    files: options.files ?? memoryFiles(),
    frames: [],
    progressLog: [],
    nfe: 0,
    progress(step, steps) {
      ctx.progressLog.push([step, steps]);
    },
    frame(frame) {
      ctx.frames.push(frame);
    },
    addNfe(count) {
      ctx.nfe += count;
    },
    async checkpoint() {
      if (signal.aborted) throw new Error('aborted');
    },
  };
  return ctx;
}
