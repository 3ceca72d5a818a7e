import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../graph-nodes';
import { NODE_DOCS_FILE, renderNodeDocs } from '../../scripts/generate-node-docs';

describe('docs/nodes.md', () => {
  let rendered = '';
  beforeAll(async () => {
    rendered = await renderNodeDocs();
  });

  it('is up to date with the catalogue (run npm run docs)', async () => {
    const committed = await readFile(NODE_DOCS_FILE, 'utf8').catch(() => '');
    // A plain boolean first, so the failure says what to do rather than dumping both files.
    expect(committed === rendered, 'docs/nodes.md is stale: run npm run docs').toBe(true);
  });

  it('documents every node with its type, section, formula and params', () => {
    for (const definition of catalogue.list()) {
      expect(rendered).toContain(`<a id="${definition.type}"></a>`);
      expect(rendered).toContain(`### ${definition.title}`);
      expect(rendered).toContain(definition.section);
      if (definition.formula) expect(rendered).toContain(definition.formula.replaceAll('`', "'"));
      for (const param of Object.keys(definition.params.shape)) {
        expect(rendered).toContain(`| \`${param}\``);
      }
    }
  });

  it('shows a param’s default, range, unit, options and the description from .meta()', () => {
    const line = (param: string, after: string) =>
      rendered
        .slice(rendered.indexOf(after))
        .split('\n')
        .find((text) => text.startsWith(`| \`${param}\``)) ?? '';
    const width = line('image_width', 'id="save-image-grid"');
    expect(width).toMatch(/\| integer +\| `0` +\| \[0, 4096\] +\| px +\| Tile width; 0 takes it/);
    const range = line('range', 'id="fashion-mnist"');
    expect(range).toMatch(/one of `-1\.\.1`, `0\.\.1` +\| `"-1\.\.1"`/);
    expect(line('classes', 'id="fashion-mnist"')).toMatch(/`all` or list of integer in \[0, 9\]/);
  });
});
