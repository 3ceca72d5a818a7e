// `principia nodes`: the node catalogue, as JSON for tools or grouped by kind for people.
import { describeCatalogue, type CatalogueEntry } from '../index';
import type { NodesRequest } from './arguments';
import type { CommandOutput } from './command-output';

export function nodesCommand(request: NodesRequest, output: CommandOutput): number {
  const entries = describeCatalogue();
  output.stdout(
    request.json ? `${JSON.stringify(entries, null, 2)}\n` : formatCatalogueText(entries),
  );
  return 0;
}

function formatCatalogueText(entries: readonly CatalogueEntry[]): string {
  const byKind = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) byKind.set(entry.kind, [...(byKind.get(entry.kind) ?? []), entry]);
  const lines: string[] = [];
  for (const [kind, group] of byKind) {
    lines.push(`${kind}:`);
    for (const entry of group) {
      lines.push(`  ${entry.type} (v${entry.version}) — ${entry.title}`);
      lines.push(`      ${entry.description}`);
      const inputs = Object.entries(entry.inputs).map(
        ([name, spec]) => `${name}${spec.required ? '' : '?'}: ${spec.accepts.join('|')}`,
      );
      const outputs = Object.entries(entry.outputs).map(([name, spec]) => `${name}: ${spec.type}`);
      const params = Object.keys(paramProperties(entry.params));
      if (inputs.length) lines.push(`      in:     ${inputs.join(', ')}`);
      if (outputs.length) lines.push(`      out:    ${outputs.join(', ')}`);
      if (params.length) lines.push(`      params: ${params.join(', ')}`);
    }
    lines.push('');
  }
  lines.push('Details, with param schemas: principia nodes --json');
  return `${lines.join('\n')}\n`;
}

function paramProperties(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, unknown>)
    : {};
}
