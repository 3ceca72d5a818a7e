// The Compare node's table as the app shows it: one row per branch with the solver's own wall
// time joined in, sortable by any column, the best value of each column marked.

export interface BranchRow {
  /** The solver node feeding the branch. */
  readonly nodeId: string;
  readonly title: string;
  readonly values: Readonly<Record<string, number | undefined>>;
}

export interface TableColumn {
  readonly key: string;
  readonly title: string;
  /** Every column here is better when smaller (cost or error). */
  readonly digits: number;
}

export const COMPARE_COLUMNS: readonly TableColumn[] = [
  { key: 'nfe', title: 'NFE', digits: 0 },
  { key: 'ms', title: 'wall ms', digits: 0 },
  { key: 'mean_l2', title: 'mean L2 error', digits: 3 },
  { key: 'max_l2', title: 'max L2 error', digits: 3 },
  { key: 'swd', title: 'sliced W₂', digits: 3 },
  // The unbiased MMD² itself, sign and all: it is below 0 when the samples are as close to the
  // data as another draw of the data would be, which √max(0, ·) would hide as "0.000".
  { key: 'mmd2', title: 'MMD² (unbiased)', digits: 4 },
  // With a branch's denoiser: the held-out data's negative log-likelihood under that model.
  { key: 'nll', title: 'NLL (nats)', digits: 3 },
  { key: 'bits_per_dim', title: 'bits/dim', digits: 3 },
];

export interface SortOrder {
  readonly key: string;
  readonly descending: boolean;
}

/** Rows sorted by one column; rows lacking the value go last, ties keep branch order. */
export function sortRows(rows: readonly BranchRow[], order: SortOrder): BranchRow[] {
  const direction = order.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row.values[order.key];
      const y = b.row.values[order.key];
      if (x === undefined || y === undefined) {
        return x === undefined && y === undefined ? a.index - b.index : x === undefined ? 1 : -1;
      }
      return x === y ? a.index - b.index : (x - y) * direction;
    })
    .map(({ row }) => row);
}

/** The node ids holding each column's smallest value (all of them on a tie, none if all tie). */
export function bestPerColumn(
  rows: readonly BranchRow[],
  columns: readonly TableColumn[],
): Record<string, ReadonlySet<string>> {
  const best: Record<string, ReadonlySet<string>> = {};
  for (const column of columns) {
    const values = rows
      .map((row) => row.values[column.key])
      .filter((value): value is number => value !== undefined && Number.isFinite(value));
    if (values.length < 2) {
      best[column.key] = new Set();
      continue;
    }
    const smallest = Math.min(...values);
    // When every branch ties there is nothing to point at.
    if (values.every((value) => value === smallest)) {
      best[column.key] = new Set();
      continue;
    }
    best[column.key] = new Set(
      rows.filter((row) => row.values[column.key] === smallest).map((row) => row.nodeId),
    );
  }
  return best;
}

export function formatCell(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (digits === 0) return Math.round(value).toString();
  return Math.abs(value) >= 1e-2 || value === 0 ? value.toFixed(digits) : value.toExponential(2);
}
