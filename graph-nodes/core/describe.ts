// The catalogue as plain JSON: what `principia nodes --json` prints and docs are generated from.
import { z } from 'zod';
import type { Catalogue } from './catalogue';
import type { InputSpec, NodeKind, OutputSpec } from './node-definition';

export interface CatalogueEntry {
  type: string;
  version: number;
  kind: NodeKind;
  title: string;
  description: string;
  section: string;
  formula?: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  /** JSON Schema of the params, with the UI hints from `.meta()`. */
  params: unknown;
}

export function describeCatalogue(catalogue: Catalogue): CatalogueEntry[] {
  return catalogue.list().map((definition) => ({
    type: definition.type,
    version: definition.version,
    kind: definition.kind,
    title: definition.title,
    description: definition.description,
    section: definition.section,
    ...(definition.formula ? { formula: definition.formula } : {}),
    inputs: definition.inputs,
    outputs: definition.outputs,
    params: z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }),
  }));
}
