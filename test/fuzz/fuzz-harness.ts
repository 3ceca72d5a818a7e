// The graph fuzzer: mutated presets and fixtures through load → compile → probe → run, in a
// sandbox folder beside a canary folder. A case fails the fuzzer when anything other than a
// GraphError escapes load, compile or probe; when a node fails with a JavaScript error (a bug,
// not bad input); when a run does not stop within a second of its cancel; or when a file outside
// the sandbox is read or written.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  catalogue,
  compileGraph,
  Executor,
  GraphError,
  parseGraphText,
  type FileHost,
} from '../../graph-nodes';
import { encodeNpy } from '../../graph-nodes/math/npy';
import { isInsideFolder, realPathOf } from '../../graph-nodes/runtime/confined-files';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { mutateGraphText } from './graph-mutations';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How long a run may take before it is cancelled, and how soon after that it must stop. */
const RUN_BUDGET_MS = 25;
const STOP_WITHIN_MS = 1000;

export interface FuzzFailure {
  readonly case: number;
  readonly seedGraph: string;
  readonly kind: 'crash' | 'internal' | 'hang' | 'escape';
  readonly message: string;
  /** The mutated graph, to reproduce it. */
  readonly text: string;
}

export interface FuzzReport {
  readonly cases: number;
  readonly compiled: number;
  readonly ran: number;
  readonly failures: FuzzFailure[];
  readonly seconds: number;
}

interface Sandbox {
  readonly root: string;
  /** Where every mutated graph lives, with the data, weights and hostile files beside it. */
  readonly folder: string;
  readonly canary: string;
  canaryDigest(): Promise<string>;
}

/** The seed graphs: every preset and the fixtures, as text, with the folder they expect. */
async function seedGraphs(): Promise<{ name: string; text: string }[]> {
  const seeds: { name: string; text: string }[] = [];
  for (const folder of ['presets', 'test/fixtures']) {
    for (const name of (await readdir(join(REPO_ROOT, folder))).sort()) {
      if (!name.endsWith('.graph.json')) continue;
      const text = await readFile(join(REPO_ROOT, folder, name), 'utf8');
      seeds.push({ name, text: shrink(text) });
    }
  }
  return seeds;
}

/**
 * The same graph on at most 64 points and 200 data points: the fuzzer is after bad input, not
 * big runs, and small ones let it try many more graphs.
 */
function shrink(text: string): string {
  const graph = JSON.parse(text) as { nodes: { params: Record<string, unknown> }[] };
  for (const node of graph.nodes) {
    const count = node.params['count'];
    if (typeof count === 'number') node.params['count'] = Math.min(count, 64);
  }
  return JSON.stringify(graph);
}

async function createSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'principia-fuzz-'));
  const folder = join(root, 'sandbox');
  const canary = join(root, 'canary');
  await mkdir(canary);
  await writeFile(join(canary, 'secret.npy'), encodeNpy(Float32Array.of(4, 2), [1, 2]));
  await writeFile(join(canary, 'notes.txt'), 'nothing in a graph may read or change this');
  // The presets' data and weights, and the fixtures' inputs, where their graphs name them.
  await cp(join(REPO_ROOT, 'presets'), folder, { recursive: true });
  await cp(join(REPO_ROOT, 'test/fixtures/kdiffusion-gmm'), join(folder, 'kdiffusion-gmm'), {
    recursive: true,
  });
  await cp(join(REPO_ROOT, 'test/fixtures/fashion-unet/x_T.npy'), join(folder, 'x_T.npy'));
  // Hostile neighbours.
  await symlink(join(canary, 'secret.npy'), join(folder, 'escape.npy'));
  await symlink('/dev/zero', join(folder, 'zeros.npy'));
  await symlink(root, join(folder, 'up'));
  execFileSync('mkfifo', [join(folder, 'fifo.npy')]);
  await mkdir(join(folder, 'folder.npy'));
  await writeFile(join(folder, 'big.npy'), '');
  await truncate(join(folder, 'big.npy'), 2 * 1024 ** 3);
  await writeFile(
    join(folder, 'weights', 'escape.json'),
    (await readFile(join(folder, 'weights', 'train-a-denoiser.json'), 'utf8')).replace(
      /"bin": "[^"]*"/,
      '"bin": "../../canary/secret.npy"',
    ),
  );
  const digestOf = async (): Promise<string> => {
    const hash = createHash('sha256');
    for (const name of (await readdir(canary)).sort()) {
      hash.update(name).update(await readFile(join(canary, name)));
    }
    hash.update((await readdir(root)).sort().join('|'));
    return hash.digest('hex');
  };
  return { root, folder, canary, canaryDigest: digestOf };
}

/**
 * The sandbox's file host, with an independent check of every access it allows: the real path of
 * what was read or written must lie inside the sandbox.
 */
function watchedFiles(folder: string, escapes: string[]): FileHost {
  const host = nodeFileHost(folder);
  const check = async (path: string): Promise<void> => {
    const real = await realPathOf(resolve(folder, path)).catch(() => undefined);
    const realFolder = await realPathOf(folder);
    if (real !== undefined && !isInsideFolder(realFolder, real)) escapes.push(`${path} → ${real}`);
  };
  return {
    async read(path) {
      const bytes = await host.read(path);
      await check(path);
      return bytes;
    },
    async write(path, bytes) {
      await host.write(path, bytes);
      await check(path);
    },
  };
}

export async function fuzzGraphs(options: {
  cases: number;
  seed?: number;
  onProgress?: (done: number, failures: number) => void;
}): Promise<FuzzReport> {
  const started = performance.now();
  const seeds = await seedGraphs();
  const types = catalogue.list().map((definition) => definition.type);
  const sandbox = await createSandbox();
  const canaryBefore = await sandbox.canaryDigest();
  const failures: FuzzFailure[] = [];
  let compiled = 0;
  let ran = 0;
  try {
    for (let index = 0; index < options.cases; index++) {
      if (index % 100 === 0 && index > 0) options.onProgress?.(index, failures.length);
      const seedGraph = seeds[index % seeds.length]!;
      const caseSeed = (options.seed ?? 1) * 1_000_003 + index;
      const text = mutateGraphText(seedGraph.text, caseSeed, types);
      const fail = (kind: FuzzFailure['kind'], message: string) =>
        failures.push({ case: index, seedGraph: seedGraph.name, kind, message, text });
      const escapes: string[] = [];
      const executor = new Executor({ files: watchedFiles(sandbox.folder, escapes) });
      try {
        let plan;
        try {
          plan = await executor.probe(
            compileGraph(parseGraphText(text, 'fuzz.graph.json'), catalogue, {
              file: 'fuzz.graph.json',
            }),
          );
        } catch (error) {
          if (!(error instanceof GraphError)) fail('crash', describe(error));
          continue;
        }
        compiled++;
        const abort = new AbortController();
        const cancel = setTimeout(() => abort.abort(), RUN_BUDGET_MS);
        let watchdog: ReturnType<typeof setTimeout> | undefined;
        const hung = new Promise<'hang'>((done) => {
          abort.signal.addEventListener('abort', () => {
            watchdog = setTimeout(() => done('hang'), STOP_WITHIN_MS);
          });
        });
        try {
          const outcome = await Promise.race([executor.run(plan, { signal: abort.signal }), hung]);
          ran++;
          if (outcome === 'hang')
            fail('hang', `still running ${STOP_WITHIN_MS} ms after its cancel`);
          else if (outcome.error?.internal) {
            fail('internal', `node "${outcome.error.nodeId}": ${outcome.error.message}`);
          }
        } catch (error) {
          fail('crash', `the run threw: ${describe(error)}`);
        } finally {
          clearTimeout(cancel);
          clearTimeout(watchdog);
        }
      } finally {
        for (const escape of escapes) fail('escape', `a file outside the sandbox: ${escape}`);
        executor.dispose();
      }
    }
    if ((await sandbox.canaryDigest()) !== canaryBefore) {
      failures.push({
        case: -1,
        seedGraph: '',
        kind: 'escape',
        message: 'the canary folder beside the sandbox changed',
        text: '',
      });
    }
  } finally {
    await rm(sandbox.root, { recursive: true, force: true });
  }
  return {
    cases: options.cases,
    compiled,
    ran,
    failures,
    seconds: (performance.now() - started) / 1000,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
