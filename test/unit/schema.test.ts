// The published JSON Schema must match the zod schema it is generated from.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderGraphSchema, SCHEMA_FILE, SCHEMA_ID } from '../../scripts/generate-schema';

describe('docs/graph.schema.json', () => {
  it('is up to date with GraphDocumentSchema (if not: run npm run schema)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    expect(committed, 'docs/graph.schema.json is stale: run npm run schema').toBe(
      renderGraphSchema(),
    );
  });

  it('is a draft 2020-12 schema with an id and a title, and describes nodes and edges', () => {
    const schema = JSON.parse(renderGraphSchema()) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(schema.title).toMatch(/Principia graph/);
    const properties = schema.properties as Record<string, unknown>;
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining(['format', 'version', 'nodes', 'edges']),
    );
    // Written files may leave out what has a default.
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'nodes']));
    expect(schema.required).not.toContain('edges');
  });
});
