// Writes docs/nodes.md, the node reference, from the catalogue: for each node what it computes,
// its formula, its ports, its params and the monograph section. Run: npm run docs.
// test/unit/node-docs.test.ts fails when the committed file is out of date.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { catalogue, describeCatalogue, type CatalogueEntry } from '../graph-nodes';
import { NODE_KINDS, type NodeKind } from '../graph-nodes/core/node-definition';
import { findUiHints } from '../graph-nodes/core/param-hints';

export const NODE_DOCS_FILE = fileURLToPath(new URL('../docs/nodes.md', import.meta.url));

const KIND_TITLES: Record<NodeKind, string> = {
  prior: 'Priors',
  schedule: 'Noise schedules',
  timesteps: 'Timesteps',
  denoiser: 'Denoisers',
  guidance: 'Guidance',
  solver: 'Solvers',
  flowmap: 'Flow maps',
  transport: 'Optimal transport and Schrödinger bridges',
  data: 'Data',
  io: 'Input and output',
  analysis: 'Analysis',
};

/**
 * Prose that ties a kind's nodes to the monograph, from docs/node-intros/KIND.md when it exists
 * (kept in markdown, not in code, so it reads and reviews as text).
 */
function kindIntro(kind: NodeKind): string | undefined {
  const file = fileURLToPath(new URL(`../docs/node-intros/${kind}.md`, import.meta.url));
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** A param's JSON Schema, as z.toJSONSchema writes it (only the keys the docs read). */
interface ParamSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: ParamSchema[];
  items?: ParamSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** The text of docs/nodes.md (Prettier-formatted, as the repository's format check wants it). */
export async function renderNodeDocs(): Promise<string> {
  const entries = describeCatalogue();
  const lines = [
    '# Node reference',
    '',
    'Generated from the node catalogue by `npm run docs` (scripts/generate-node-docs.ts); do not ' +
      'edit by hand. Noise levels are in the scaled form σ̃ = σ/α and points in x̃ = x/α ' +
      '(see docs/CONTRIBUTING-ENGINE.md).',
    '',
  ];
  const kinds = NODE_KINDS.filter((kind) => entries.some((entry) => entry.kind === kind));
  for (const kind of kinds) {
    const ofKind = entries.filter((entry) => entry.kind === kind);
    lines.push(
      `- **${KIND_TITLES[kind]}**: ${ofKind.map((entry) => `[${entry.title}](#${entry.type})`).join(', ')}`,
    );
  }
  for (const kind of kinds) {
    lines.push('', `## ${KIND_TITLES[kind]}`);
    const intro = kindIntro(kind);
    if (intro) lines.push('', intro.trim());
    for (const entry of entries.filter((candidate) => candidate.kind === kind)) {
      lines.push('', ...renderNode(entry));
    }
  }
  const text = `${lines.join('\n')}\n`;
  const options = await prettier.resolveConfig(NODE_DOCS_FILE);
  return prettier.format(text, { ...options, parser: 'markdown' });
}

function renderNode(entry: CatalogueEntry): string[] {
  const lines = [
    `<a id="${entry.type}"></a>`,
    '',
    `### ${entry.title}`,
    '',
    `Type \`${entry.type}\` (version ${entry.version}). Monograph: ${entry.section}.`,
    '',
    entry.description,
  ];
  if (entry.formula) lines.push('', `Formula: \`${entry.formula.replaceAll('`', "'")}\``);

  const inputs = Object.entries(entry.inputs);
  if (inputs.length > 0) {
    lines.push('', '| Input | Accepts | Required | Description |', '| --- | --- | --- | --- |');
    for (const [name, spec] of inputs) {
      lines.push(
        row([
          `\`${name}\``,
          spec.accepts.join(', '),
          spec.required ? 'yes' : 'no',
          spec.description,
        ]),
      );
    }
  }
  const outputs = Object.entries(entry.outputs);
  if (outputs.length > 0) {
    lines.push('', '| Output | Type | Description |', '| --- | --- | --- |');
    for (const [name, spec] of outputs) {
      lines.push(row([`\`${name}\``, spec.type, spec.description]));
    }
  }

  const paramSchemas = (entry.params as { properties?: Record<string, ParamSchema> }).properties;
  const shape = catalogue.get(entry.type)?.params.shape ?? {};
  const names = Object.keys(paramSchemas ?? {});
  if (names.length === 0) {
    lines.push('', 'No params.');
    return lines;
  }
  lines.push(
    '',
    '| Param | Type | Default | Range | Unit | Description |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const name of names) {
    const schema = paramSchemas![name]!;
    const zodSchema = shape[name];
    const hints = zodSchema ? findUiHints(zodSchema) : undefined;
    const shownWhen = Object.entries(hints?.visibleWhen ?? {})
      .filter(([, values]) => values.length > 0)
      .map(([param, values]) => `Used when ${param} is ${values.join(', ')}.`)
      .join(' ');
    // The title is what the inspector labels the param with; the description says more.
    const description = [hints?.description ?? hints?.title ?? '', shownWhen]
      .filter((part) => part !== '')
      .join(' ');
    lines.push(
      row([
        `\`${name}\``,
        describeType(schema),
        'default' in schema ? `\`${JSON.stringify(schema.default)}\`` : '—',
        describeRange(schema),
        hints?.unit ?? '',
        description,
      ]),
    );
  }
  return lines;
}

function describeType(schema: ParamSchema): string {
  if (schema.anyOf) return schema.anyOf.map(describeType).join(' or ');
  if (schema.const !== undefined) return code(schema.const);
  if (schema.enum) return `one of ${schema.enum.map(code).join(', ')}`;
  if (schema.type === 'array') {
    const items = schema.items ? describeType(schema.items) : 'values';
    const range = describeRange(schema.items ?? {});
    return `list of ${items}${range ? ` in ${range}` : ''}${describeLength(schema)}`;
  }
  return schema.type ?? 'any';
}

/** Strings bare (as typed in the inspector and with --set), other values as JSON. */
function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

function describeLength(schema: ParamSchema): string {
  const { minItems, maxItems } = schema;
  if (minItems !== undefined && maxItems !== undefined) {
    return minItems === maxItems ? ` (${minItems})` : ` (${minItems}–${maxItems})`;
  }
  if (minItems !== undefined) return ` (≥ ${minItems})`;
  if (maxItems !== undefined) return ` (≤ ${maxItems})`;
  return '';
}

/** "[a, b]", "(a, b]", "≥ a", …; integer params carry ±MAX_SAFE_INTEGER bounds, which say nothing. */
function describeRange(schema: ParamSchema): string {
  const meaningful = (bound: number | undefined) =>
    bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER ? bound : undefined;
  const low = meaningful(schema.minimum ?? schema.exclusiveMinimum);
  const high = meaningful(schema.maximum ?? schema.exclusiveMaximum);
  const open = schema.exclusiveMinimum !== undefined ? '(' : '[';
  const close = schema.exclusiveMaximum !== undefined ? ')' : ']';
  if (low !== undefined && high !== undefined) return `${open}${low}, ${high}${close}`;
  if (low !== undefined) return `${open === '(' ? '>' : '≥'} ${low}`;
  if (high !== undefined) return `${close === ')' ? '<' : '≤'} ${high}`;
  return '';
}

/** One table row; pipes and line breaks inside a cell would end it early. */
function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`;
}

async function main(): Promise<void> {
  await writeFile(NODE_DOCS_FILE, await renderNodeDocs());
  console.log(`wrote ${NODE_DOCS_FILE}`);
}

// Run as a script (npm run docs), not when the test imports renderNodeDocs.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
