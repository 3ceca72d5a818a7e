// What `principia run` prints: one JSON object (--json) or a per-node table for people.
import type { BackendName } from './arguments';
import type { SavedOutput } from './saved-outputs';

export interface NodeReport {
  readonly status: 'done' | 'cached' | 'failed' | 'skipped';
  readonly ms: number;
  readonly nfe: number;
}

/** The --json summary; its shape is a contract with scripts and benchmarks. */
export interface RunReport {
  readonly ok: boolean;
  readonly cancelled: boolean;
  readonly backend: BackendName;
  readonly ms: number;
  readonly nodes: Readonly<Record<string, NodeReport>>;
  readonly saved: readonly SavedOutput[];
  readonly error?: { readonly nodeId?: string; readonly message: string };
}

export function formatRunReportJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A table with one row per node, in run order, then what was saved and the outcome. */
export function formatRunReportText(
  report: RunReport,
  nodeTypes: ReadonlyMap<string, string>,
): string {
  const header = ['node', 'type', 'status', 'ms', 'NFE'];
  const rows = Object.entries(report.nodes).map(([id, node]) => [
    id,
    nodeTypes.get(id) ?? '',
    node.status,
    node.ms.toFixed(1),
    String(node.nfe),
  ]);
  const totalNfe = Object.values(report.nodes).reduce((sum, node) => sum + node.nfe, 0);
  const footer = ['total', '', '', report.ms.toFixed(1), String(totalNfe)];
  const table = [header, ...rows, footer];
  const widths = header.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? '').length)),
  );
  // Text columns align left, numbers right, so digits line up.
  const numeric = new Set([3, 4]);
  const lines = table.map((row) =>
    row
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
  for (const saved of report.saved) {
    lines.push(`saved ${saved.nodeId}.${saved.port} → ${saved.file}`);
  }
  const outcome = report.ok ? 'ok' : report.cancelled ? 'cancelled' : 'failed';
  lines.push(`${outcome} on ${report.backend} in ${report.ms.toFixed(1)} ms`);
  return `${lines.join('\n')}\n`;
}
