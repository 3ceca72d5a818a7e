// Writes docs/graph.schema.json, the published JSON Schema of graph files, from the zod schema
// that is the single source of truth (graph-nodes/core/document.ts). Run: npm run schema.
// test/unit/schema.test.ts fails when the committed file is out of date.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GRAPH_FORMAT, GRAPH_VERSION, GraphDocumentSchema } from '../graph-nodes/core/document';

export const SCHEMA_FILE = fileURLToPath(new URL('../docs/graph.schema.json', import.meta.url));
export const SCHEMA_ID = `https://principia.dev/schema/graph/v${GRAPH_VERSION}.json`;

/** The schema file's exact text (stable key order, trailing newline). */
export function renderGraphSchema(): string {
  // 'input': describes what a user may write, so fields with defaults (edges, params) are optional.
  const generated = z.toJSONSchema(GraphDocumentSchema, { io: 'input' });
  const { $schema, ...body } = generated;
  const schema = {
    $schema,
    $id: SCHEMA_ID,
    title: `Principia graph (${GRAPH_FORMAT}, version ${GRAPH_VERSION})`,
    ...body,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

async function main(): Promise<void> {
  await writeFile(SCHEMA_FILE, renderGraphSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}

// Run as a script (npm run schema), not when the test imports renderGraphSchema.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
