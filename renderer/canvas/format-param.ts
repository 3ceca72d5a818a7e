// Param values in a few characters, so a card stays small: numbers to 4 significant digits,
// arrays as their shape.

export function formatParamValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return `[${arrayShape(value).join(' × ')}]`;
  if (value === null || value === undefined) return '—';
  return '{…}';
}

function formatNumber(value: number): string {
  // Integers in full up to ten digits, so seeds read exactly.
  if (Number.isInteger(value) && Math.abs(value) < 1e10) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3))
    return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

function arrayShape(value: readonly unknown[]): number[] {
  const first = value[0];
  return Array.isArray(first) ? [value.length, ...arrayShape(first)] : [value.length];
}
