// Sweeps beyond one process: `--jobs N` gives the numbers `--jobs 1` gives, bit for bit; a sweep
// run as 4 shards in 4 processes and merged prints what the sweep in one process prints; merge
// names missing shards with the command that reruns them and refuses hostile point files; and the
// Kubernetes manifests hold together (no cluster is reachable from CI, so they are parsed).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCommandLine } from '../../graph-nodes/cli/arguments';
import { main } from '../../graph-nodes/cli/main';
import { progressBar } from '../../graph-nodes/cli/progress-bar';
import { shardIndices, shellQuote } from '../../graph-nodes/cli/sweep-points';
import { parseSweepResultText } from '../../graph-nodes/compare/sweep-result-file';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/principia.mjs');
const GRAPH = join(ROOT, 'presets/error-vs-nfe.graph.json');
// Six points of the preset's grid: the shape of the real sweep, in seconds.
const GRID = ['--set', 'solver.algorithm=euler,heun,dpmpp_2m', '--set', 'timesteps.steps=4,8'];
const SHARDS = 4;

const run = promisify(execFile);

/** The CLI in its own process, as a user runs it; resolves with its exit code and output. */
async function cli(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The CLI called in this process (merge needs no engine). */
async function cliHere(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

interface PrintedSweep {
  points: { ms?: number; metrics: Record<string, number> }[];
  series: unknown[];
}

/** The JSON output with wall times (which no two runs share) taken out. */
function withoutTimes(json: string): string {
  const parsed = JSON.parse(json) as PrintedSweep;
  for (const point of parsed.points) delete point.ms;
  return JSON.stringify(parsed);
}

/** The CSV output without its ms column. */
function csvWithoutTimes(csv: string): string[] {
  const rows = csv.trim().split('\n');
  const msColumn = rows[0]!.split(',').indexOf('ms');
  return rows.map((row) =>
    row
      .split(',')
      .filter((_, column) => column !== msColumn)
      .join(','),
  );
}

/** The table's cells without its ms column; the observed-order line as it is. */
function tableWithoutTimes(table: string): string[][] {
  const lines = table.trim().split('\n');
  const msColumn = lines[0]!.split(/\s+/u).indexOf('ms');
  return lines.map((line) =>
    line.startsWith('observed order')
      ? [line]
      : line.split(/\s+/u).filter((_, column) => column !== msColumn),
  );
}

let work: string;
let shardFolder: string;
let oneProcess: { json: string; csv: string; table: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'principia-scale-out-'));
  shardFolder = join(work, 'shards');
  // The sweep in one process, and the same grid as 4 shards in 4 processes at once.
  const [json, ...shards] = await Promise.all([
    cli(['sweep', GRAPH, ...GRID, '--jobs', '1', '--json']),
    ...Array.from({ length: SHARDS }, (_, k) =>
      cli(['sweep', GRAPH, ...GRID, '--shard', `${k}/${SHARDS}`, '--out', shardFolder, '--json']),
    ),
  ]);
  expect(json.code, json.stderr).toBe(0);
  for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
  const [csv, table] = await Promise.all([
    cli(['sweep', GRAPH, ...GRID, '--jobs', '1', '--csv']),
    cli(['sweep', GRAPH, ...GRID, '--jobs', '1']),
  ]);
  oneProcess = { json: json.stdout, csv: csv.stdout, table: table.stdout };
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A fresh copy of the shards' folder, to spoil. */
function copyOfShards(name: string): string {
  const folder = join(work, name);
  cpSync(shardFolder, folder, { recursive: true });
  return folder;
}

describe('sweep --jobs', () => {
  it('gives the numbers --jobs 1 gives, bit for bit, and keeps stdout clean', async () => {
    const parallel = await cli(['sweep', GRAPH, ...GRID, '--jobs', '2', '--json']);
    expect(parallel.code, parallel.stderr).toBe(0);
    expect(withoutTimes(parallel.stdout)).toBe(withoutTimes(oneProcess.json));
    // No progress bar without a terminal: CI logs and --json stay clean.
    expect(parallel.stderr).toBe('');
    const points = (JSON.parse(parallel.stdout) as PrintedSweep).points;
    expect(points).toHaveLength(6);
    expect(points.every((point) => point.ms! > 0)).toBe(true);
  }, 120_000);

  it('checks --jobs and --shard', () => {
    expect(() => parseCommandLine(['sweep', GRAPH, '--jobs', '0'])).toThrow(/--jobs must be/);
    expect(() => parseCommandLine(['sweep', GRAPH, '--jobs', '2x'])).toThrow(/--jobs must be/);
    expect(() => parseCommandLine(['sweep', GRAPH, '--shard', '1/4'])).toThrow(/needs --out/);
    expect(() => parseCommandLine(['sweep', GRAPH, '--shard', '4/4', '--out', 'x'])).toThrow(
      /K counts from 0, so the shards of 4 are 0\/4 to 3\/4/,
    );
    expect(() => parseCommandLine(['sweep', GRAPH, '--shard', '1-4', '--out', 'x'])).toThrow(
      /--shard must be K\/N/,
    );
    expect(parseCommandLine(['sweep', GRAPH, '--shard', '3/4', '--out', 'x', '-j', '3'])).toEqual(
      expect.objectContaining({ shard: { index: 3, count: 4 }, out: 'x', jobs: 3 }),
    );
    expect(parseCommandLine(['sweep', 'merge', 'dir', '--csv'])).toEqual({
      command: 'sweep-merge',
      folder: 'dir',
      format: 'csv',
    });
  });

  it('interleaves shards: point i goes to shard i mod N', () => {
    expect(shardIndices(10, { index: 1, count: 4 })).toEqual([1, 5, 9]);
    expect(shardIndices(3, { index: 3, count: 4 })).toEqual([]);
    expect(shardIndices(3)).toEqual([0, 1, 2]);
  });

  it('draws a progress bar only on a terminal', () => {
    let text = '';
    let clock = 0;
    const output = { stdout: () => {}, stderr: (chunk: string) => void (text += chunk) };
    const silent = progressBar(output, 4, 'sweep');
    silent.tick();
    expect(text).toBe('');
    const bar = progressBar({ ...output, stderrIsTTY: true }, 4, 'sweep', () => clock);
    clock = 1000;
    bar.tick();
    expect(text).toContain('1/4  ETA 3 s');
    clock = 4000;
    for (let i = 0; i < 3; i++) bar.tick();
    expect(text).toContain('4/4  ETA 0 s');
    bar.clear();
    expect(text.endsWith('\r\u001b[K')).toBe(true);
  });
});

describe('sweep --shard and sweep merge', () => {
  it('writes one file per point, with the graph hash, settings, metrics, timings and versions', () => {
    const names = readdirSync(shardFolder).sort();
    expect(names).toEqual(['0', '1', '2', '3', '4', '5'].map((i) => `point-${i}.json`));
    const record = JSON.parse(readFileSync(join(shardFolder, 'point-5.json'), 'utf8'));
    expect(record).toMatchObject({
      format: 'principia.sweep-point',
      version: 1,
      graph: { hash: expect.stringMatching(/^[0-9a-f]{16}$/u) },
      sweep: { points: 6, measure: 'metrics', solver: 'solver' },
      shards: 4,
      shard: 1,
      versions: {
        principia: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
        backend: 'wasm',
        nodes: { solver: 1, metrics: 1, 'gaussian-prior': 1 },
      },
      point: {
        index: 5,
        settings: { 'solver.algorithm': 'dpmpp_2m', 'timesteps.steps': 8 },
        ok: true,
        nfe: 8,
      },
      timings: { pointMs: expect.any(Number), finishedAt: expect.any(String) },
    });
  });

  it('merges 4 shards into exactly what the sweep in one process prints', async () => {
    const json = await cliHere(['sweep', 'merge', shardFolder, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(withoutTimes(json.stdout)).toBe(withoutTimes(oneProcess.json));
    const csv = await cliHere(['sweep', 'merge', shardFolder, '--csv']);
    expect(csvWithoutTimes(csv.stdout)).toEqual(csvWithoutTimes(oneProcess.csv));
    const table = await cliHere(['sweep', 'merge', shardFolder]);
    expect(tableWithoutTimes(table.stdout)).toEqual(tableWithoutTimes(oneProcess.table));
    expect(table.stdout).toMatch(/observed order \(mean_l2 vs NFE\): euler [\d.]+, heun/u);
    expect(table.stderr).toBe('');
  });

  it("reads the merged --json back as the app's sweep result, and refuses what is not one", async () => {
    const merged = await cliHere(['sweep', 'merge', shardFolder, '--json']);
    const printed = JSON.parse(merged.stdout) as Record<string, unknown>;
    const result = parseSweepResultText(merged.stdout, 'merged.json');
    expect(result.axes).toEqual(printed['axes']);
    expect(result.points).toEqual(printed['points']);
    expect(result.series).toEqual(printed['series']);
    expect(result).toMatchObject({
      measureNode: 'metrics',
      solverNode: 'solver',
      cancelled: false,
    });
    expect(() => parseSweepResultText('{"points": [', 'x.json')).toThrow(
      /x\.json: not valid JSON/u,
    );
    expect(() => parseSweepResultText('{"points": []}', 'x.json')).toThrow(
      /x\.json: not a sweep result \(principia sweep --json\)/u,
    );
    const polluted = merged.stdout.replace('"metrics": {', '"metrics": { "__proto__": 1,');
    expect(() => parseSweepResultText(polluted, 'x.json')).toThrow(/__proto__/u);
  });

  it('names a failed shard with its index and the command that reruns it, which works', async () => {
    const folder = copyOfShards('lost-shard');
    for (const name of ['point-2.json', 'point-3.json']) rmSync(join(folder, name));
    const merged = await cliHere(['sweep', 'merge', folder]);
    expect(merged.code).toBe(2);
    expect(merged.stdout).toBe('');
    expect(merged.stderr).toContain('shard 2/4 wrote none of its 1 points (points 2)');
    expect(merged.stderr).toContain('shard 3/4 wrote none of its 1 points (points 3)');
    const rerun = merged.stderr.match(/^ {4}(principia sweep .* --shard 2\/4 .*)$/mu)?.[1];
    expect(rerun).toBe(
      `principia sweep ${GRAPH} --set solver.algorithm=euler,heun,dpmpp_2m ` +
        `--set timesteps.steps=4,8 --shard 2/4 --out ${folder}`,
    );
    // Run what it says (quoted arguments would need a shell; these paths need none).
    const again = await cli(rerun!.split(' ').slice(1));
    expect(again.code, again.stderr).toBe(0);
    const stillMissing = await cliHere(['sweep', 'merge', folder]);
    expect(stillMissing.code).toBe(2);
    expect(stillMissing.stderr).not.toContain('shard 2/4');
    expect(stillMissing.stderr).toContain('shard 3/4');
  }, 60_000);

  it('names a shard that wrote only some of its points', async () => {
    const folder = copyOfShards('part-shard');
    rmSync(join(folder, 'point-4.json'));
    const merged = await cliHere(['sweep', 'merge', folder]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain('shard 0/4 is missing 1 of its 2 points (points 4)');
  });

  it('refuses hostile point files, naming each', async () => {
    const folder = copyOfShards('hostile');
    const original = readFileSync(join(shardFolder, 'point-1.json'), 'utf8');
    const record = JSON.parse(original) as Record<string, unknown> & {
      graph: { hash: string };
      point: { index: number };
      shard: number;
    };
    // Malformed JSON, and a point of another graph.
    await writeFile(join(folder, 'point-0.json'), original.slice(0, 100));
    await writeFile(
      join(folder, 'point-2.json'),
      JSON.stringify({
        ...record,
        point: { ...record.point, index: 2 },
        graph: { hash: '0123456789abcdef' },
      }),
    );
    // The same point twice, under two names, and a point the grid does not have.
    await writeFile(join(folder, 'point-01.json'), original);
    await writeFile(
      join(folder, 'point-9.json'),
      JSON.stringify({ ...record, shard: 1, point: { ...record.point, index: 9 } }),
    );
    // A huge file (sparse: it takes no disk), a link out of the folder, and a prototype key.
    await writeFile(join(folder, 'point-3.json'), '');
    await truncate(join(folder, 'point-3.json'), 2 * 1024 ** 3);
    rmSync(join(folder, 'point-4.json'));
    symlinkSync(join(shardFolder, 'point-4.json'), join(folder, 'point-4.json'));
    rmSync(join(folder, 'point-5.json'));
    await writeFile(
      join(folder, 'point-5.json'),
      original.replace('"metrics": {', '"metrics": { "__proto__": { "polluted": 1 },'),
    );
    await writeFile(join(folder, 'notes.txt'), 'not a point file, and not read');

    const merged = await cliHere(['sweep', 'merge', folder]);
    expect(merged.code).toBe(2);
    expect(merged.stdout).toBe('');
    const at = (name: string) => `error: ${join(folder, name)}: `;
    expect(merged.stderr).toContain(`${at('point-0.json')}not valid JSON`);
    expect(merged.stderr).toContain(
      `${at('point-2.json')}graph hash 0123456789abcdef, but the sweep's is ${record.graph.hash}: a different graph`,
    );
    expect(merged.stderr).toMatch(
      /point-01\.json: point 1 again \(duplicate point; it is also in .*point-1\.json\)|point-1\.json: point 1 again \(duplicate point; it is also in .*point-01\.json\)/u,
    );
    expect(merged.stderr).toContain(
      `${at('point-9.json')}point 9 is not in the grid of 6 points (unknown point)`,
    );
    expect(merged.stderr).toContain(
      `${at('point-3.json')}2147483648 bytes; a point file is at most 1048576 bytes`,
    );
    expect(merged.stderr).toContain(`${at('point-4.json')}a symbolic link, not a file`);
    expect(merged.stderr).toMatch(/point-5\.json: .*__proto__/u);
    expect(merged.stderr).not.toContain('notes.txt');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // What those files should have held is missing, and said so.
    expect(merged.stderr).toContain('shard 0/4 wrote none of its 2 points (points 0, 4)');
  });

  it('says so when the folder holds no point files, or is no folder', async () => {
    const empty = join(work, 'empty');
    cpSync(join(shardFolder, 'point-0.json'), join(work, 'lonely.json'));
    rmSync(empty, { recursive: true, force: true });
    await writeFile(join(work, 'not-a-folder'), '');
    const none = await cliHere(['sweep', 'merge', work]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no point files \(point-N\.json\)/u);
    const notFolder = await cliHere(['sweep', 'merge', join(work, 'not-a-folder')]);
    expect(notFolder.stderr).toMatch(/not-a-folder: not a folder/u);
    // And a shard whose --out cannot be made stops before it runs anything.
    const badOut = await cliHere([
      'sweep',
      GRAPH,
      ...GRID,
      '--out',
      join(work, 'not-a-folder', 'x'),
    ]);
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toMatch(/--out .*: cannot make the folder \(ENOTDIR\)/u);
  });

  it('quotes rerun commands so a shell reads each argument back unchanged', () => {
    expect(shellQuote('solver.algorithm=euler,heun')).toBe('solver.algorithm=euler,heun');
    expect(shellQuote("it's; rm -rf ~")).toBe(`'it'\\''s; rm -rf ~'`);
    expect(shellQuote('a\u001b[2Jb')).toBe(`$'a\\x1b[2Jb'`);
  });
});

describe('the Dockerfile and the Kubernetes manifests', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const documents = (file: string) =>
    parseAllDocuments(readFileSync(join(ROOT, 'deploy/kubernetes', file), 'utf8')).map(
      (document) => {
        expect(document.errors).toEqual([]);
        return document.toJS() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      },
    );
  const imageTag = /docker build -t (\S+) \./u.exec(dockerfile)?.[1];

  it('builds a slim Node LTS image whose entrypoint is the CLI, with runtime dependencies only', () => {
    expect(dockerfile).toMatch(/^FROM node:(20|22|24)[\w.-]*-slim$/mu);
    expect(dockerfile).toMatch(/npm ci --omit=dev/u);
    expect(dockerfile).toMatch(
      /^ENTRYPOINT \["node", "\/opt\/principia\/bin\/principia\.mjs"\]$/mu,
    );
    expect(imageTag).toBe('principia-cli:0.1.0');
    // What bin/principia.mjs loads at run time must be a runtime dependency.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const name of [
      'esbuild',
      'tsx',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-wasm',
    ]) {
      expect(manifest.dependencies[name], name).toBeDefined();
    }
  });

  it('runs the sweep as an Indexed Job: one shard per completion index, on a shared volume', () => {
    const all = documents('sweep-job.yaml');
    const claim = all.find((document) => document.kind === 'PersistentVolumeClaim')!;
    const job = all.find((document) => document.kind === 'Job')!;
    expect(claim.apiVersion).toBe('v1');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec.completionMode).toBe('Indexed');
    const shards = job.spec.completions as number;
    expect(shards).toBeGreaterThan(1);
    expect(job.spec.parallelism).toBe(shards);
    const pod = job.spec.template.spec;
    expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers;
    expect(container.image).toBe(imageTag);
    const args = container.args as string[];
    expect(args[0]).toBe('sweep');
    expect(args[args.indexOf('--shard') + 1]).toBe(`$(JOB_COMPLETION_INDEX)/${shards}`);
    const request = parseCommandLine(
      args.map((arg) => arg.replace('$(JOB_COMPLETION_INDEX)', String(shards - 1))),
    );
    expect(request).toMatchObject({
      command: 'sweep',
      shard: { index: shards - 1, count: shards },
    });
    // The graph and the results folder lie on mounted volumes, each mount naming a volume.
    const mounts = container.volumeMounts as { name: string; mountPath: string }[];
    const volumes = pod.volumes as { name: string; [kind: string]: unknown }[];
    const mountOf = (path: string) =>
      mounts.find((mount) => path.startsWith(`${mount.mountPath}/`));
    const graphMount = mountOf(args[1]!)!;
    const resultsMount = mountOf(args[args.indexOf('--out') + 1]!)!;
    expect(graphMount).toBeDefined();
    expect(resultsMount).toBeDefined();
    for (const mount of mounts) expect(volumes.map((volume) => volume.name)).toContain(mount.name);
    const resultsVolume = volumes.find((volume) => volume.name === resultsMount.name)!;
    expect(resultsVolume['persistentVolumeClaim']).toEqual({ claimName: claim.metadata.name });
  });

  it('merges on the same volume, in the folder the shards wrote', () => {
    const [sweepJob] = documents('sweep-job.yaml').filter((document) => document.kind === 'Job');
    const [merge] = documents('sweep-merge-job.yaml');
    expect(merge!.apiVersion).toBe('batch/v1');
    expect(merge!.kind).toBe('Job');
    const pod = merge!.spec.template.spec;
    expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
    const [container] = pod.containers;
    expect(container.image).toBe(imageTag);
    const sweepArgs = sweepJob!.spec.template.spec.containers[0].args as string[];
    const out = sweepArgs[sweepArgs.indexOf('--out') + 1]!;
    expect(container.args.join(' ')).toContain(`principia sweep merge ${out} `);
    const claimOf = (spec: { volumes: { persistentVolumeClaim?: { claimName: string } }[] }) =>
      spec.volumes.flatMap((volume) => volume.persistentVolumeClaim?.claimName ?? []);
    expect(claimOf(pod)).toEqual(claimOf(sweepJob!.spec.template.spec));
    const mountPath = (spec: { containers: { volumeMounts: { mountPath: string }[] }[] }) =>
      spec.containers[0]!.volumeMounts.map((mount) => mount.mountPath);
    expect(mountPath(sweepJob!.spec.template.spec)).toEqual(expect.arrayContaining(mountPath(pod)));
  });
});
