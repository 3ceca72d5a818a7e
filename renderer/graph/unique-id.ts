// Fresh ids for new and pasted items: "solver", then "solver_2", "solver_3", …

const ID_MAX_LENGTH = 64;

/** The first of base, base_2, base_3, … not in `taken` (a copy of "solver_2" counts from "solver"). */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = base.replace(/_\d+$/, '').slice(0, ID_MAX_LENGTH - 8) || 'node';
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
