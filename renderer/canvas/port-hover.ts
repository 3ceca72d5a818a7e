// The facts a hover card shows for a port or a wire: its type and meaning, and what it carried
// in the last run.
import type { PortView } from './flow-elements';

export function portFactLines(
  port: PortView,
  side: 'input' | 'output',
  lastRunFact: string | undefined,
): string[] {
  const types = port.types.join(' or ') || 'unknown type';
  const lines = [
    side === 'input'
      ? `input, takes ${types}${port.required ? ' (required)' : ''}`
      : `output, gives ${types}`,
  ];
  if (port.description) lines.push(port.description);
  if (lastRunFact) lines.push(`last run: ${lastRunFact}`);
  return lines;
}
