// The graph document users save and export: the single source of truth for its shape.
// docs/graph.schema.json is generated from these schemas (npm run schema).
import { z } from 'zod';
import { RESERVED_NAMES } from './own';

export const GRAPH_FORMAT = 'principia.graph';
export const GRAPH_VERSION = 1;

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
  })
  .strict();

export const EdgeSchema = z
  .object({
    from: PortRefSchema.describe('The output port the value comes from.'),
    to: PortRefSchema.describe('The input port it feeds.'),
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
    sweep: SweepSchema.optional().describe(
      "A grid of param values to run the graph over (the app's Sweep and `principia sweep`).",
    ),
  })
  .strict()
  .describe('A Principia pipeline: named nodes with params, and edges between named ports.');

export type PortRef = z.infer<typeof PortRefSchema>;
export type NodeInstance = z.infer<typeof NodeInstanceSchema>;
export type Edge = z.infer<typeof EdgeSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type GraphDocument = z.infer<typeof GraphDocumentSchema>;
export type SweepAxis = z.infer<typeof SweepAxisSchema>;
export type Sweep = z.infer<typeof SweepSchema>;
