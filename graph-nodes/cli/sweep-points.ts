// One JSON file per grid point, for sweeps split over processes or machines (`--shard K/N --out
// DIR`), and their merge (`principia sweep merge DIR`).
//
// Each file says which sweep it belongs to (the graph's hash, the grid, the shard count, the
// versions of Principia, the backend and every node type), which point it holds (its index and
// settings), and what that point measured. The merge trusts none of it: the folder may hold files
// from another sweep, a crashed shard, or anyone at all. Every file is read as a bounded regular
// file (links are not followed), parsed, checked for size and shape, and compared with the
// others; problems are collected and reported together, each naming its file.
import { constants, type Dirent } from 'node:fs';
import { mkdir, open, opendir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import packageJson from '../../package.json';
import type { Catalogue } from '../core/catalogue';
import type { GraphDocument, SweepAxis } from '../core/document';
import { SweepAxisSchema } from '../core/document';
import { untrustedJsonProblems } from '../core/graph-limits';
import { trainingRecordsSchema } from '../compare/sweep-result-file';
import { canonicalJson, hashString } from '../core/hash';
import { sweepGrid, type SweepPoint, type SweepSetup } from '../compare/sweep';
import type { BackendName, ShardSpec } from './arguments';

export const POINT_FILE_FORMAT = 'principia.sweep-point';
export const POINT_FILE_VERSION = 1;
/** A point's file is a few kilobytes; anything past this is not one. */
export const MAX_POINT_FILE_BYTES = 1024 * 1024;
/** Entries a merge looks at in its folder before giving up. */
export const MAX_FOLDER_ENTRIES = 1_000_000;
/** Problems a merge lists before summing up the rest. */
const MAX_LISTED_PROBLEMS = 30;

const POINT_FILE_NAME = /^point-(\d{1,9})\.json$/u;

/** What identifies a sweep: every file of one sweep carries the same. */
export interface SweepIdentity {
  readonly graph: { readonly hash: string };
  readonly sweep: {
    readonly hash: string;
    readonly axes: readonly SweepAxis[];
    readonly measure: string;
    readonly solver: string;
    readonly points: number;
    /** The nodes each point trains (absent when none): shards must train the same ones. */
    readonly train?: readonly string[];
  };
  readonly shards: number;
  readonly versions: {
    readonly principia: string;
    readonly backend: string;
    /** The catalogue's version of every node type the graph uses, by type. */
    readonly nodes: Readonly<Record<string, number>>;
  };
}

/** What to type to run a shard again (the command line the shard ran with, less --shard/--out). */
export interface RerunCommand {
  readonly graph: string;
  readonly sets: readonly string[];
  readonly measure?: string;
  readonly train?: readonly string[];
  readonly backend: string;
  readonly allowRead: readonly string[];
  readonly allowWrite: readonly string[];
}

export interface PointRecord extends SweepIdentity {
  readonly format: typeof POINT_FILE_FORMAT;
  readonly version: typeof POINT_FILE_VERSION;
  readonly shard: number;
  readonly command: RerunCommand;
  readonly point: { readonly index: number } & SweepPoint;
  readonly timings: {
    /** The whole grid point: every node that ran for it. */
    readonly pointMs: number;
    /** When the point finished (ISO 8601). */
    readonly finishedAt: string;
  };
}

/** The identity of the sweep `setup` describes, for `graph` run on `backend`. */
export function sweepIdentity(
  graph: GraphDocument,
  setup: SweepSetup,
  catalogue: Catalogue,
  backend: BackendName,
  shards: number,
): SweepIdentity {
  const nodes: Record<string, number> = {};
  for (const type of [...new Set(graph.nodes.map((node) => node.type))].sort()) {
    const definition = catalogue.get(type);
    if (definition) nodes[type] = definition.version;
  }
  const train = setup.trained.map((node) => node.nodeId);
  const sweep = {
    axes: setup.axes,
    measure: setup.measureNode,
    solver: setup.solverNode,
    ...(train.length ? { train } : {}),
  };
  return {
    graph: { hash: hashString(canonicalJson(graph)) },
    sweep: { hash: hashString(canonicalJson(sweep)), ...sweep, points: setup.grid.length },
    shards,
    versions: { principia: packageJson.version, backend, nodes },
  };
}

/** The indices of the grid that shard K of N runs: K, K + N, K + 2N, … */
export function shardIndices(total: number, shard: ShardSpec = { index: 0, count: 1 }): number[] {
  const indices: number[] = [];
  for (let index = shard.index; index < total; index += shard.count) indices.push(index);
  return indices;
}

export function pointFileName(index: number, total: number): string {
  return `point-${String(index).padStart(String(Math.max(total - 1, 0)).length, '0')}.json`;
}

/**
 * Writes one point's file into `folder` (created if missing): a temporary beside it, flushed, then
 * renamed over the name, so a shard killed mid-write leaves the old file or the new one, and a
 * link planted at the name is replaced, never followed.
 */
export async function writePointFile(folder: string, record: PointRecord): Promise<string> {
  await mkdir(folder, { recursive: true });
  const name = pointFileName(record.point.index, record.sweep.points);
  const target = join(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(encodeRecord(record), null, 2)}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, target);
  return target;
}

/** JSON has no NaN or ±Infinity: a metric that is one is written as its name. */
function encodeRecord(record: PointRecord): unknown {
  const metrics: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(record.point.metrics)) {
    metrics[name] = Number.isFinite(value) ? value : String(value);
  }
  const training = record.point.training?.map((each) => ({
    ...each,
    finalLoss: Number.isFinite(each.finalLoss) ? each.finalLoss : String(each.finalLoss),
  }));
  return { ...record, point: { ...record.point, metrics, ...(training ? { training } : {}) } };
}

// ---------------------------------------------------------------------------------------------
// Reading

const reservedSafeName = z
  .string()
  .min(1)
  .max(200)
  .refine((name) => !['__proto__', 'constructor', 'prototype'].includes(name), 'a reserved name');

const metricValue = z
  .union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])])
  .transform((value) => (typeof value === 'string' ? Number(value) : value));

const shortText = z.string().max(10_000);

const PointFileSchema = z.strictObject({
  format: z.literal(POINT_FILE_FORMAT),
  version: z.literal(POINT_FILE_VERSION),
  graph: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{16}$/u) }),
  sweep: z.strictObject({
    hash: z.string().regex(/^[0-9a-f]{16}$/u),
    axes: z.array(SweepAxisSchema).min(1).max(64),
    measure: reservedSafeName,
    solver: reservedSafeName,
    points: z.number().int().min(1).max(100_000_000),
    train: z.array(reservedSafeName).min(1).max(1000).optional(),
  }),
  shards: z.number().int().min(1).max(100_000),
  versions: z.strictObject({
    principia: z.string().max(100),
    backend: z.string().max(100),
    nodes: z.record(reservedSafeName, z.number().int().min(0)),
  }),
  shard: z.number().int().min(0),
  command: z.strictObject({
    graph: shortText,
    sets: z.array(shortText).max(64),
    measure: shortText.optional(),
    train: z.array(shortText).max(1000).optional(),
    backend: z.string().max(100),
    allowRead: z.array(shortText).max(64),
    allowWrite: z.array(shortText).max(64),
  }),
  point: z.strictObject({
    index: z.number().int().min(0),
    settings: z.record(z.string().max(400), z.unknown()),
    ok: z.boolean(),
    error: shortText.optional(),
    nfe: z.number().optional(),
    ms: z.number().optional(),
    metrics: z.record(reservedSafeName, metricValue),
    training: trainingRecordsSchema(reservedSafeName, metricValue),
  }),
  timings: z.strictObject({
    pointMs: z.number().min(0),
    finishedAt: z.string().max(100),
  }),
});

/** A point file as read: where it came from and what it holds (or why it could not be read). */
type ReadPoint = { file: string; record: PointRecord } | { file: string; problem: string };

/** Reads one point file as untrusted input: never follows a link, never blocks, bounded. */
export async function readPointFile(file: string): Promise<ReadPoint> {
  let text: string;
  try {
    text = await readBoundedRegularFile(file, MAX_POINT_FILE_BYTES);
  } catch (error) {
    return { file, problem: (error as Error).message };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { file, problem: `not valid JSON (${(error as Error).message})` };
  }
  const unsafe = untrustedJsonProblems(parsed);
  if (unsafe.length) {
    const first = unsafe[0]!;
    return { file, problem: `${first.message} at ${first.path.join('.') || 'the top level'}` };
  }
  const result = PointFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the top level';
    return { file, problem: `not a sweep point file: ${where}: ${issue.message}` };
  }
  return { file, record: result.data as PointRecord };
}

async function readBoundedRegularFile(file: string, maxBytes: number): Promise<string> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  let handle;
  try {
    handle = await open(file, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ELOOP' || code === 'EMLINK'
        ? 'a symbolic link, not a file'
        : code === 'ENXIO'
          ? 'a socket, not a file'
          : `cannot be read (${code ?? (error as Error).message})`;
    throw new Error(reason, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error('not a regular file');
    if (stats.size > maxBytes) {
      throw new Error(
        `${stats.size} bytes; a point file is at most ${maxBytes} bytes, so this is not one`,
      );
    }
    const bytes = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, filled));
  } catch (error) {
    if (error instanceof TypeError) throw new Error('not UTF-8 text', { cause: error });
    throw error;
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Merging

export interface MergedSweep {
  readonly identity: SweepIdentity;
  /** Every point of the grid, in grid order. */
  readonly points: readonly SweepPoint[];
  /** The command that reruns a shard, e.g. for a failed point. */
  readonly rerun: (shard: number) => string;
}

export type MergeOutcome =
  | { readonly ok: true; readonly merged: MergedSweep }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads every `point-N.json` in `folder` (and nothing outside it) and checks that together they
 * are one complete sweep: every point exactly once, all from the same graph, grid, shard count and
 * versions. `folderAsTyped` is the folder as the user named it, for the rerun commands.
 */
export async function mergePointFolder(
  folder: string,
  folderAsTyped = folder,
): Promise<MergeOutcome> {
  const folderStats = await stat(folder).catch(() => undefined);
  if (!folderStats?.isDirectory()) {
    return { ok: false, problems: [`${folderAsTyped}: not a folder`] };
  }
  const names: string[] = [];
  let seen = 0;
  const entries = await opendir(folder);
  for await (const entry of entries as AsyncIterable<Dirent>) {
    if (++seen > MAX_FOLDER_ENTRIES) {
      await entries.close().catch(() => undefined);
      return {
        ok: false,
        problems: [
          `${folderAsTyped}: more than ${MAX_FOLDER_ENTRIES} entries; merge one sweep's folder`,
        ],
      };
    }
    if (POINT_FILE_NAME.test(entry.name)) names.push(entry.name);
  }
  if (names.length === 0) {
    return {
      ok: false,
      problems: [
        `${folderAsTyped}: no point files (point-N.json); run the shards with --out ${folderAsTyped} first`,
      ],
    };
  }
  names.sort();

  const problems: string[] = [];
  const records: { file: string; record: PointRecord }[] = [];
  // A few at a time: a folder of a million files must not open a million handles.
  for (let start = 0; start < names.length; start += 64) {
    const batch = await Promise.all(
      names.slice(start, start + 64).map((name) => readPointFile(join(folder, name))),
    );
    for (const [offset, read] of batch.entries()) {
      const shown = join(folderAsTyped, names[start + offset]!);
      if ('problem' in read) problems.push(`${shown}: ${read.problem}`);
      else records.push({ file: shown, record: read.record });
    }
  }
  if (records.length === 0) return { ok: false, problems: limitProblems(problems) };

  // The sweep is the one most files belong to; every other file is named with what differs.
  const identityKey = (record: PointRecord) => canonicalJson(identityOf(record));
  const votes = new Map<string, number>();
  for (const { record } of records) {
    const key = identityKey(record);
    votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  const [majorityKey] = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
  const reference = records.find(({ record }) => identityKey(record) === majorityKey)!.record;
  const identity = identityOf(reference);
  const total = identity.sweep.points;
  const shards = identity.shards;
  const grid = sweepGrid(identity.sweep.axes);
  if (grid.length !== total) {
    problems.push(
      `the files' grid has ${grid.length} points but they say ${total}: not files Principia wrote`,
    );
    return { ok: false, problems: limitProblems(problems) };
  }

  const byIndex = new Map<number, { file: string; record: PointRecord }>();
  for (const entry of records) {
    const { file, record } = entry;
    const index = record.point.index;
    const difference = identityDifference(reference, record);
    if (difference) {
      problems.push(`${file}: ${difference}`);
      continue;
    }
    const nameIndex = Number(POINT_FILE_NAME.exec(file.slice(file.lastIndexOf('point-')))?.[1]);
    if (nameIndex !== index) {
      problems.push(`${file}: holds point ${index}, not the point its name says`);
      continue;
    }
    if (index >= total) {
      problems.push(
        `${file}: point ${index} is not in the grid of ${total} points (unknown point)`,
      );
      continue;
    }
    if (record.shard !== index % shards) {
      problems.push(
        `${file}: point ${index} belongs to shard ${index % shards}/${shards}, not ${record.shard}`,
      );
      continue;
    }
    if (canonicalJson(record.point.settings) !== canonicalJson(grid[index])) {
      problems.push(`${file}: point ${index}'s settings are not the grid's`);
      continue;
    }
    const earlier = byIndex.get(index);
    if (earlier) {
      problems.push(
        `${file}: point ${index} again (duplicate point; it is also in ${earlier.file})`,
      );
      continue;
    }
    byIndex.set(index, entry);
  }

  const commandOf = (shard: number) => {
    const holder = records.find(({ record }) => record.shard === shard) ?? { record: reference };
    return rerunCommand(holder.record.command, { index: shard, count: shards }, folderAsTyped);
  };
  const missingByShard = new Map<number, number[]>();
  for (let index = 0; index < total; index++) {
    if (byIndex.has(index)) continue;
    const shard = index % shards;
    const missing = missingByShard.get(shard) ?? [];
    missingByShard.set(shard, missing);
    missing.push(index);
  }
  for (const [shard, missing] of [...missingByShard].sort((a, b) => a[0] - b[0])) {
    const expected = shardIndices(total, { index: shard, count: shards }).length;
    const what =
      missing.length === expected
        ? `shard ${shard}/${shards} wrote none of its ${expected} points (${listIndices(missing)})`
        : `shard ${shard}/${shards} is missing ${missing.length} of its ${expected} points (${listIndices(missing)})`;
    problems.push(`${what}; run it again with:\n    ${commandOf(shard)}`);
  }
  if (problems.length) return { ok: false, problems: limitProblems(problems) };

  const points = [...byIndex.keys()]
    .sort((a, b) => a - b)
    .map((index) => {
      const { index: _index, ...point } = byIndex.get(index)!.record.point;
      return point as SweepPoint;
    });
  return { ok: true, merged: { identity, points, rerun: commandOf } };
}

function identityOf(record: PointRecord): SweepIdentity {
  return {
    graph: record.graph,
    sweep: record.sweep,
    shards: record.shards,
    versions: record.versions,
  };
}

/** What sets `record` apart from the sweep's files, in words; undefined when nothing does. */
function identityDifference(reference: PointRecord, record: PointRecord): string | undefined {
  const differs = (a: unknown, b: unknown) => canonicalJson(a) !== canonicalJson(b);
  if (record.graph.hash !== reference.graph.hash) {
    return `graph hash ${record.graph.hash}, but the sweep's is ${reference.graph.hash}: a different graph`;
  }
  if (differs(record.sweep.train, reference.sweep.train)) {
    const trains = (sweep: PointRecord['sweep']) =>
      sweep.train
        ? `trains ${sweep.train.map((node) => `"${node}"`).join(', ')}`
        : 'trains nothing';
    return `${trains(record.sweep)} at each point, but the sweep ${trains(reference.sweep)}: run every shard with the same --train`;
  }
  if (differs(record.sweep, reference.sweep)) {
    return `grid ${record.sweep.hash} (${record.sweep.points} points), but the sweep's is ${reference.sweep.hash} (${reference.sweep.points} points): a different grid`;
  }
  if (record.shards !== reference.shards) {
    return `written as one of ${record.shards} shards, but the sweep has ${reference.shards}`;
  }
  if (record.versions.principia !== reference.versions.principia) {
    return `Principia ${record.versions.principia}, but the sweep ran on ${reference.versions.principia}`;
  }
  if (record.versions.backend !== reference.versions.backend) {
    return `the ${record.versions.backend} backend, but the sweep ran on ${reference.versions.backend}`;
  }
  if (differs(record.versions.nodes, reference.versions.nodes)) {
    return `node type versions ${canonicalJson(record.versions.nodes)}, but the sweep's are ${canonicalJson(reference.versions.nodes)}`;
  }
  return undefined;
}

function limitProblems(problems: readonly string[]): string[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return [...problems];
  return [
    ...problems.slice(0, MAX_LISTED_PROBLEMS),
    `… and ${problems.length - MAX_LISTED_PROBLEMS} more problems`,
  ];
}

/** 0, 4, 8, …: at most 12 indices, then how many more. */
function listIndices(indices: readonly number[]): string {
  const shown = indices.slice(0, 12).join(', ');
  return indices.length > 12 ? `points ${shown}, … ${indices.length - 12} more` : `points ${shown}`;
}

/** The shell command that runs `shard` of the sweep again, into `folder`. */
export function rerunCommand(command: RerunCommand, shard: ShardSpec, folder: string): string {
  const args = ['principia', 'sweep', command.graph];
  for (const set of command.sets) args.push('--set', set);
  if (command.measure !== undefined) args.push('--measure', command.measure);
  for (const node of command.train ?? []) args.push('--train', node);
  if (command.backend !== 'wasm') args.push('--backend', command.backend);
  for (const dir of command.allowRead) args.push('--allow-read', dir);
  for (const dir of command.allowWrite) args.push('--allow-write', dir);
  args.push('--shard', `${shard.index}/${shard.count}`, '--out', folder);
  return args.map(shellQuote).join(' ');
}

/** An argument as a POSIX shell reads it back unchanged; control characters are shown escaped. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/u.test(arg)) return arg;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(arg)) {
    // $'…' (bash, zsh, ksh) reads \xNN and \uNNNN escapes.
    const escaped = [...arg]
      .map((char) => {
        const code = char.codePointAt(0)!;
        if (char === '\\' || char === "'") return `\\${char}`;
        if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
          return `\\x${code.toString(16).padStart(2, '0')}`;
        }
        return char;
      })
      .join('');
    return `$'${escaped}'`;
  }
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Text from a file, safe to print to a terminal: control characters shown as escapes. */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/gu,
    (char) => `\\x${char.codePointAt(0)!.toString(16).padStart(2, '0')}`,
  );
}
