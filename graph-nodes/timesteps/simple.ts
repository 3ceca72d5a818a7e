// ComfyUI's "simple" scheduler: N entries taken evenly from the top of a noise table of length L,
//   i_k = L − 1 − ⌊k·L/N⌋,   k = 0 … N − 1,
// so it starts at the noisiest entry and stops short of the cleanest one; then σ̃ = 0.

function checkSteps(what: string, steps: number, tableLength: number): void {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`${what}: steps must be an integer ≥ 1 (got ${steps})`);
  }
  if (steps > tableLength) {
    throw new Error(
      `${what}: ${steps} steps need a table of at least ${steps} entries (it has ${tableLength})`,
    );
  }
}

/** Descending table indices. */
export function simpleIndices(steps: number, tableLength: number): number[] {
  checkSteps('simple scheduler', steps, tableLength);
  const stride = tableLength / steps; // ComfyUI's float ss = len(sigmas)/steps
  return Array.from({ length: steps }, (_, k) => tableLength - 1 - Math.floor(k * stride));
}
