// Each particle keeps one colour in every panel, so the same starting noise can be followed
// through every solver. The colour comes from where the particle starts (its angle around the
// centre of the prior), so neighbours at the start share a hue and the eye can track a region.

/** CSS colours for `count` particles from their starting positions (row-major [count, dim]). */
export function particleColours(start: Float32Array, count: number, dim: number): string[] {
  const colours: string[] = [];
  for (let i = 0; i < count; i++) {
    const x = start[i * dim] ?? 0;
    const y = dim > 1 ? (start[i * dim + 1] ?? 0) : 0;
    const hue = ((Math.atan2(y, x) / (2 * Math.PI)) * 360 + 360) % 360;
    colours.push(`hsl(${hue.toFixed(0)} 85% 62%)`);
  }
  return colours;
}
