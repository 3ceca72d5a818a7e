// The graph document users save and export: the single source of truth for its shape.
// docs/graph.schema.json is generated from these schemas (npm run schema).
import { z } from 'zod';
import { RESERVED_NAMES } from './own';

export const GRAPH_FORMAT = 'principia.graph';
export const GRAPH_VERSION = 2;

const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    'use letters, digits, "_" or "-", starting with a letter or "_"',
  )
  .refine((name) => !RESERVED_NAMES.has(name), {
    message: `${[...RESERVED_NAMES].map((name) => `"${name}"`).join(', ')} are reserved; choose another name`,
  });

export const PortRefSchema = z
  .object({
    node: identifier.describe('Id of the node.'),
    port: identifier.describe('Name of the port on that node.'),
  })
  .strict();

export const NodeInstanceSchema = z
  .object({
    id: identifier.describe('Unique id of this node in the graph; edges and the CLI refer to it.'),
    type: z.string().min(1).describe('Node type id from the catalogue, e.g. "karras-timesteps".'),
    typeVersion: z
      .number()
      .int()
      .min(1)
      .describe('Version of the node type the params were written for.'),
    title: z.string().optional().describe('Display name; defaults to the node type title.'),
    position: z
      .object({ x: z.number(), y: z.number() })
      .strict()
      .describe('Canvas position (layout only; never affects results).'),
    params: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Param values by name; missing params take their defaults.'),
    bypass: z
      .boolean()
      .optional()
      .describe(
        'Skip this node when the graph runs: each output takes the value of its first connected ' +
          'input of the same value type (absent: false).',
      ),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written "#rrggbb"')
      .optional()
      .describe("Tint of the node's header on the canvas, as #rrggbb (layout only)."),
    collapsed: z
      .boolean()
      .optional()
      .describe('Drawn as its header alone, wires attached to it (layout only; absent: expanded).'),
  })
  .strict();

const CanvasPointSchema = z.object({ x: z.number(), y: z.number() }).strict();

export const EdgeSchema = z
  .object({
    from: PortRefSchema.describe('The output port the value comes from.'),
    to: PortRefSchema.describe('The input port it feeds.'),
    via: z
      .array(CanvasPointSchema)
      .max(64)
      .optional()
      .describe(
        'Bend points the wire is drawn through on the canvas, in order from its output (layout ' +
          'only; absent: a plain curve).',
      ),
  })
  .strict();

export const NoteSchema = z
  .object({
    id: identifier.describe('Unique id of this note among the notes.'),
    position: z
      .object({ x: z.number(), y: z.number() })
      .strict()
      .describe('Canvas position of its top-left corner.'),
    text: z.string().describe('The comment, as plain text.'),
    size: z
      .object({ width: z.number().positive(), height: z.number().positive() })
      .strict()
      .optional()
      .describe('Size on the canvas; a default size when absent.'),
  })
  .strict();

export const GroupSchema = z
  .object({
    id: identifier.describe('Unique id of this group among the groups.'),
    title: z.string().max(200).describe('The name shown on the frame.'),
    position: CanvasPointSchema.describe("Canvas position of the frame's top-left corner."),
    size: z
      .object({ width: z.number().positive(), height: z.number().positive() })
      .strict()
      .describe('Size of the frame on the canvas.'),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written "#rrggbb"')
      .optional()
      .describe("Tint of the frame, as #rrggbb (absent: the canvas's own)."),
    nodes: z
      .array(identifier)
      .describe(
        'Ids of the nodes it holds; they move with the frame. A node is in one group at most.',
      ),
  })
  .strict();

export const SweepAxisSchema = z
  .object({
    target: z
      .string()
      .regex(/^[^.]+\.[^.]+$/u, 'a sweep axis names NODE.PARAM, e.g. "solver.algorithm"')
      .describe('The param this axis varies, as NODE.PARAM.'),
    values: z.array(z.unknown()).min(1).describe('The values it takes, in order.'),
  })
  .strict();

export const SweepSchema = z
  .object({
    axes: z
      .array(SweepAxisSchema)
      .min(1)
      .describe("The grid is every combination of the axes' values."),
    measure: identifier
      .optional()
      .describe('The Metrics node whose numbers each grid point reports (default: the only one).'),
  })
  .strict();

export const GraphDocumentSchema = z
  .object({
    format: z.literal(GRAPH_FORMAT).describe('Always "principia.graph".'),
    version: z.literal(GRAPH_VERSION).describe('Document format version.'),
    title: z.string().optional(),
    description: z.string().optional(),
    nodes: z.array(NodeInstanceSchema),
    edges: z.array(EdgeSchema).default([]),
    notes: z
      .array(NoteSchema)
      .optional()
      .describe('Comments placed on the canvas; they never affect results.'),
    groups: z
      .array(GroupSchema)
      .default([])
      .describe('Titled frames holding nodes on the canvas (layout only; never affect results).'),
    sweep: SweepSchema.optional().describe(
      "A grid of param values to run the graph over (the app's Sweep and `principia sweep`).",
    ),
  })
  .strict()
  .superRefine((graph, context) => {
    for (const problem of groupProblems(graph)) context.addIssue({ code: 'custom', ...problem });
  })
  .describe('A Principia pipeline: named nodes with params, and edges between named ports.');

/**
 * What is wrong with a graph's groups: a repeated group id, a member that is not a node of the
 * graph, a node named twice (in one group or in two). Each names the group and the node.
 */
function groupProblems(graph: {
  nodes: readonly { id: string }[];
  groups: readonly { id: string; nodes: readonly string[] }[];
}): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const nodeIds = new Set(graph.nodes.map((node) => node.id));
  const groupIds = new Set<string>();
  const holder = new Map<string, string>();
  graph.groups.forEach((group, index) => {
    if (groupIds.has(group.id)) {
      problems.push({
        path: ['groups', index, 'id'],
        message: `two groups have the id "${group.id}"; give each group its own id`,
      });
    }
    groupIds.add(group.id);
    group.nodes.forEach((member, place) => {
      const path = ['groups', index, 'nodes', place];
      const earlier = holder.get(member);
      if (!nodeIds.has(member)) {
        problems.push({
          path,
          message: `group "${group.id}" holds node "${member}", which is not a node of this graph`,
        });
      } else if (earlier === group.id) {
        problems.push({ path, message: `group "${group.id}" names node "${member}" twice` });
      } else if (earlier !== undefined) {
        problems.push({
          path,
          message: `node "${member}" is in group "${earlier}" and in group "${group.id}"; a node may be in one group at most`,
        });
      } else {
        holder.set(member, group.id);
      }
    });
  });
  return problems;
}

export type PortRef = z.infer<typeof PortRefSchema>;
export type NodeInstance = z.infer<typeof NodeInstanceSchema>;
export type Edge = z.infer<typeof EdgeSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type Group = z.infer<typeof GroupSchema>;
export type GraphDocument = z.infer<typeof GraphDocumentSchema>;
export type SweepAxis = z.infer<typeof SweepAxisSchema>;
export type Sweep = z.infer<typeof SweepSchema>;
