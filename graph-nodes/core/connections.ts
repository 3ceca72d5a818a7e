// Whether an output can feed an input: one pure rule shared by the compiler and the editor.
import type { AnyNodeDefinition } from './node-definition';
import { ownValue } from './own';

export type ConnectionCheck =
  { ok: true } | { ok: false; code: 'unknown-port' | 'type-mismatch'; message: string };

export function checkConnection(
  from: { definition: AnyNodeDefinition; nodeId: string; port: string },
  to: { definition: AnyNodeDefinition; nodeId: string; port: string },
): ConnectionCheck {
  const output = ownValue(from.definition.outputs, from.port);
  if (!output) {
    return {
      ok: false,
      code: 'unknown-port',
      message: `"${from.nodeId}" (${from.definition.type}) has no output "${from.port}"; its outputs are ${listNames(from.definition.outputs)}`,
    };
  }
  const input = ownValue(to.definition.inputs, to.port);
  if (!input) {
    return {
      ok: false,
      code: 'unknown-port',
      message: `"${to.nodeId}" (${to.definition.type}) has no input "${to.port}"; its inputs are ${listNames(to.definition.inputs)}`,
    };
  }
  if (!input.accepts.includes(output.type)) {
    return {
      ok: false,
      code: 'type-mismatch',
      message: `cannot connect ${from.nodeId}.${from.port} (${output.type}) to ${to.nodeId}.${to.port}, which takes ${input.accepts.join(' or ')}`,
    };
  }
  return { ok: true };
}

function listNames(ports: Record<string, unknown>): string {
  const names = Object.keys(ports);
  return names.length ? names.map((n) => `"${n}"`).join(', ') : 'none';
}
