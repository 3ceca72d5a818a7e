// "Is this a graph?" decided by what a file holds, never by its name: a graph is JSON whose
// top-level "format" is "principia.graph" (graph-nodes/core/document.ts), or a PNG carrying such
// JSON. Opening refuses anything else, and a weights write never replaces a graph, whatever the
// file is called.
import { GRAPH_FORMAT } from '../../graph-nodes/core/document';
import { GRAPH_LIMITS } from '../../graph-nodes/core/graph-limits';
import { graphTextFromPng } from '../../graph-nodes/core/png-graph';
import { stat } from 'node:fs/promises';
import { readRegularFile } from '../../graph-nodes/runtime/confined-files';

/**
 * The most bytes a graph file (or a PNG carrying one) can take: the engine refuses longer graph
 * text, and a UTF-16 code unit takes at most 3 bytes of UTF-8.
 */
export const MAX_GRAPH_FILE_BYTES = GRAPH_LIMITS.textLength * 3;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPngContent(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Why `text` is not a graph's JSON, or undefined when it is one. */
export function graphTextProblem(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${(error as Error).message})`;
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject || (value as Record<string, unknown>)['format'] !== GRAPH_FORMAT) {
    return `it is not a Principia graph (a graph is JSON with "format": "${GRAPH_FORMAT}")`;
  }
  return undefined;
}

export function isGraphText(text: string): boolean {
  return graphTextProblem(text) === undefined;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A graph file's bytes: graph JSON, or a PNG that carries graph JSON. */
export function isGraphContent(bytes: Uint8Array): boolean {
  if (isPngContent(bytes)) {
    try {
      return isGraphText(graphTextFromPng(bytes, 'image'));
    } catch {
      return false;
    }
  }
  // The first non-blank byte of a graph is "{"; a binary's rarely is, and then it is not UTF-8.
  const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first !== 0x7b) return false;
  const text = decodeUtf8(bytes);
  return text !== undefined && isGraphText(text);
}

/**
 * Whether the file at `path` holds a graph. A file too large to be one the engine would open is
 * not one; reading is bounded by that size, and non-regular files are refused.
 */
export async function fileHoldsGraph(path: string): Promise<boolean> {
  if ((await stat(path)).size > MAX_GRAPH_FILE_BYTES) return false;
  return isGraphContent(await readRegularFile(path, { maxBytes: MAX_GRAPH_FILE_BYTES }));
}
