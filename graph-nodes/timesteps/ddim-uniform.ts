// ComfyUI's "ddim_uniform" scheduler: every ⌊L/N⌋-th entry of a noise table of length L, starting
// from index 1 (DDIM's uniform skip), in descending order; then σ̃ = 0.
//   i = 1, 1 + s, 1 + 2s, … < L,   s = max(⌊L/N⌋, 1)
// When s does not divide L − 1 evenly this gives more than N entries (L = 1000, N = 30: 31); that
// is ComfyUI's behaviour, kept so that the lists agree.

/** Descending table indices. */
export function ddimUniformIndices(steps: number, tableLength: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`ddim_uniform scheduler: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (tableLength < 2) {
    throw new Error(
      `ddim_uniform scheduler: the table needs at least 2 entries (it has ${tableLength})`,
    );
  }
  const stride = Math.max(Math.floor(tableLength / steps), 1);
  const indices: number[] = [];
  for (let index = 1; index < tableLength; index += stride) indices.push(index);
  return indices.reverse();
}
