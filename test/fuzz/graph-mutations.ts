// Seeded mutations of real graphs (the presets and the fixtures) into the broken and hostile
// files users may download: wrong types, missing and extra fields, reserved names, cycles, huge
// numbers, deep nesting, paths that lead out of the folder or at special files, torn JSON. Used by
// the unit test (a few thousand cases) and by `npm run fuzz` (as many as asked).
import { createRng, type Rng } from '../../graph-nodes/math/rng';

/** Files the sandbox holds beside each graph, for path mutations to aim at. */
export const HOSTILE_PATHS = [
  '../canary/secret.npy',
  '../../canary/secret.npy',
  '/etc/passwd',
  '/dev/zero',
  'C:\\Windows\\win.ini',
  '~/.bashrc',
  'escape.npy', // a symlink to the canary's secret, outside the sandbox
  'zeros.npy', // a symlink to /dev/zero
  'fifo.npy', // a FIFO: opening it for reading would block
  'folder.npy', // a directory
  'big.npy', // a sparse file above the read cap
  'up/canary/secret.npy', // through a symlinked folder that points out
  'missing.npy',
  'data/../../canary/secret.npy',
  'data/fashion-mnist-subset.npy',
  'weights/escape.json', // a weights manifest whose "bin" leads out
  'nul\u0000.npy',
];

const RESERVED = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.uniform() * items.length)]!;
}

function nested(depth: number, leaf: Json): Json {
  let value = leaf;
  for (let k = 0; k < depth; k++) value = [value];
  return value;
}

/** A value of any shape a param should refuse (or accept), biased to edge cases. */
function strangeValue(rng: Rng): Json {
  switch (Math.floor(rng.uniform() * 16)) {
    case 0:
      return pick(rng, [0, -1, 1, -0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 1e9, 1e6]);
    case 1:
      return pick(rng, ['', 'NaN', 'Infinity', '-1', 'heun', 'x'.repeat(2000)]);
    case 2:
      return pick(rng, HOSTILE_PATHS);
    case 3:
      return [];
    case 4:
      return [[]];
    case 5:
      return [[1, 2], [3]];
    case 6:
      return Array.from({ length: 1 + Math.floor(rng.uniform() * 20) }, () =>
        Math.floor(rng.uniform() * 200 - 100),
      );
    case 7:
      return nested(Math.floor(rng.uniform() * 40), 1);
    case 8:
      return {};
    case 9:
      return { [pick(rng, RESERVED)]: 1 };
    case 10:
      return null;
    case 11:
      return rng.uniform() < 0.5;
    case 12:
      return pick(rng, [-1e6, 1e6, 0.1, 80, 1e-12]);
    case 13:
      return [1e308, -1e308];
    case 14:
      return Array.from({ length: 3 }, () => [rng.uniform(), rng.uniform()]);
    default:
      return Math.floor(rng.uniform() * 5000) - 100;
  }
}

type Graph = { [key: string]: Json } & { nodes?: Json; edges?: Json };

function nodesOf(graph: Graph): { [key: string]: Json }[] {
  return Array.isArray(graph.nodes) ? (graph.nodes as { [key: string]: Json }[]) : [];
}

function edgesOf(graph: Graph): { [key: string]: Json }[] {
  return Array.isArray(graph.edges) ? (graph.edges as { [key: string]: Json }[]) : [];
}

/** One structural change to a parsed graph (in place). */
function mutateGraph(graph: Graph, rng: Rng, types: readonly string[]): void {
  const nodes = nodesOf(graph);
  const edges = edgesOf(graph);
  const node = nodes.length ? pick(rng, nodes) : undefined;
  const edge = edges.length ? pick(rng, edges) : undefined;
  switch (Math.floor(rng.uniform() * 14)) {
    case 0:
    case 1:
    case 2: {
      // A param set to something strange (the most common change, and the most varied).
      if (!node) return;
      const params = (node['params'] ??= {}) as { [key: string]: Json };
      if (typeof params !== 'object' || params === null || Array.isArray(params)) return;
      const keys = Object.keys(params);
      const name =
        keys.length && rng.uniform() < 0.8
          ? pick(rng, keys)
          : pick(rng, ['path', 'count', 'steps', 'means', 'shape', 'algorithm']);
      params[name] = strangeValue(rng);
      return;
    }
    case 3:
      // A field removed, or replaced by the wrong type.
      if (!node) return;
      if (rng.uniform() < 0.5)
        delete node[pick(rng, ['id', 'type', 'typeVersion', 'position', 'params'])];
      else
        node[pick(rng, ['id', 'type', 'typeVersion', 'position', 'params', 'title'])] =
          strangeValue(rng);
      return;
    case 4:
      // A node of another type (params kept), or of a type nobody has.
      if (node)
        node['type'] =
          rng.uniform() < 0.8 ? pick(rng, types) : pick(rng, ['no-such-node', '', 'Solver']);
      return;
    case 5:
      // An id no JavaScript object may have as a key.
      if (node) node['id'] = pick(rng, RESERVED);
      return;
    case 6:
      // A wire to a port that does not exist, or named like Object's methods.
      if (!edge) return;
      (edge[pick(rng, ['from', 'to'])] as { [key: string]: Json })['port'] = pick(rng, [
        ...RESERVED,
        'samples',
        'nope',
      ]);
      return;
    case 7:
      // A wire from a node to one of its ancestors: a cycle.
      if (edge) {
        edges.push({
          from: {
            node: (edge['to'] as { node: Json }).node,
            port: pick(rng, ['samples', 'denoiser', 'trajectory', 'schedule']),
          },
          to: {
            node: (edge['from'] as { node: Json }).node,
            port: pick(rng, ['schedule', 'timesteps', 'noise', 'data']),
          },
        });
      }
      return;
    case 8:
      // A duplicated node or edge.
      if (node && rng.uniform() < 0.5)
        nodes.push(JSON.parse(JSON.stringify(node)) as { [key: string]: Json });
      else if (edge) edges.push(JSON.parse(JSON.stringify(edge)) as { [key: string]: Json });
      return;
    case 9:
      // A node or an edge gone.
      if (rng.uniform() < 0.5 && nodes.length)
        nodes.splice(Math.floor(rng.uniform() * nodes.length), 1);
      else if (edges.length) edges.splice(Math.floor(rng.uniform() * edges.length), 1);
      return;
    case 10:
      // The document's own fields wrong.
      graph[pick(rng, ['format', 'version', 'nodes', 'edges', 'notes', 'sweep', 'title'])] =
        strangeValue(rng);
      return;
    case 11:
      // Nesting far past the limit.
      if (node)
        ((node['params'] as { [key: string]: Json } | undefined) ?? {})['deep'] = nested(
          50 + Math.floor(rng.uniform() * 5000),
          0,
        );
      return;
    case 12:
      // A sweep over a param with strange values.
      graph['sweep'] = {
        axes: [
          {
            target: `${String(node?.['id'] ?? 'x')}.${pick(rng, ['steps', 'path', 'count', 'algorithm'])}`,
            values: [strangeValue(rng), strangeValue(rng)],
          },
        ],
      };
      return;
    default:
      // Many copies of a node (a large graph).
      if (node) for (let k = 0; k < 200; k++) nodes.push({ ...node, id: `copy_${k}` });
  }
}

const ALGORITHMS = [
  'euler',
  'heun',
  'dpmpp_2m',
  'lms',
  'ddim',
  'ddpm',
  'rk45',
  'dpm_fast',
  'dpm_adaptive',
  'uni_pc',
  'dpmpp_3m_sde',
  'euler_ancestral',
  'dpm_2_ancestral',
];

/** A change that keeps the graph valid more often than not, so that runs get exercised too. */
function plausibleChange(graph: Graph, rng: Rng): void {
  const node = pick(rng, nodesOf(graph));
  const params = node['params'];
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return;
  const keys = Object.keys(params);
  const roll = rng.uniform();
  if (roll < 0.35 && 'path' in params) {
    // A path at one of the sandbox's hostile neighbours (symlinks out, a FIFO, a device…).
    params['path'] = pick(
      rng,
      HOSTILE_PATHS.filter((path) => !path.startsWith('/') && !path.startsWith('..')),
    );
  } else if (roll < 0.5 && 'algorithm' in params) {
    params['algorithm'] = pick(rng, ALGORITHMS);
  } else if (keys.length) {
    const key = pick(rng, keys);
    const value = params[key];
    if (typeof value === 'number') {
      const scaled = value * pick(rng, [0.5, 1.5, 2, 3]);
      params[key] = Number.isInteger(value) ? Math.max(1, Math.round(scaled)) : scaled;
    }
  }
}

/** One case: the text of a mutated graph, from a seed graph's text. */
export function mutateGraphText(
  seedText: string,
  caseSeed: number,
  types: readonly string[],
): string {
  const rng = createRng(caseSeed);
  const graph = JSON.parse(seedText) as Graph;
  const plausible = rng.uniform() < 0.4;
  const changes = 1 + Math.floor(rng.uniform() * 3);
  for (let k = 0; k < changes; k++) {
    try {
      if (plausible) plausibleChange(graph, rng);
      else mutateGraph(graph, rng, types);
    } catch {
      // An earlier change broke what this one edits (an edge without "to"): skip it.
    }
  }
  let text: string;
  try {
    text = JSON.stringify(graph);
  } catch {
    text = seedText; // nested past what JSON.stringify can write: the textual cases cover it
  }
  const textual = plausible ? 1 : rng.uniform();
  if (textual < 0.05) {
    // Torn off mid-file.
    text = text.slice(0, Math.floor(rng.uniform() * text.length));
  } else if (textual < 0.1) {
    // A reserved key written straight into the JSON text (JSON.parse keeps it as an own key).
    text = text.replace(
      '"params":{',
      `"params":{"${pick(rng, ['__proto__', 'constructor'])}":{"polluted":true},`,
    );
  } else if (textual < 0.12) {
    text = text.replace(/"(\w+)":/, '"$1":' + '['.repeat(100_000) + ']'.repeat(100_000) + ',"x":');
  }
  return text;
}
