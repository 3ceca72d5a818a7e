// Reading the UI hints (`.meta({...})`) of one param schema, for the CLI, the docs and the app.
import { z } from 'zod';
import type { ParamUiHints } from './node-definition';

/**
 * `.meta()` registers hints on the schema it was called on; wrappers added after it (`.default()`,
 * `.optional()`, a pipe) are new schemas without them, so look through the wrappers too. Hints
 * found on several layers are merged, the outermost winning.
 */
export function findUiHints(schema: z.core.$ZodType): ParamUiHints | undefined {
  let merged: ParamUiHints | undefined;
  let current: z.core.$ZodType | undefined = schema;
  for (let depth = 0; current && depth < 16; depth++) {
    const hints = z.globalRegistry.get(current) as ParamUiHints | undefined;
    if (hints) merged = { ...hints, ...merged };
    const definition = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    current = definition.innerType ?? definition.in;
  }
  return merged;
}
