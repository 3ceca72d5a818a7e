// numpy's round / rint: halves go to the even neighbour (Math.round sends them up). diffusers'
// spacings and ComfyUI's beta scheduler round with numpy, so their lists need the same rule.

export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
