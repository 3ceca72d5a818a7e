// Reads the graph file the user chose to open: a bounded read of a regular file (a chosen
// "graph.json" may be a symlink to /dev/zero in a downloaded folder), JSON text or a PNG exported
// from the preview, and refused unless what it holds is a graph.
import { basename } from 'node:path';
import { graphTextFromPng } from '../../graph-nodes/core/png-graph';
import { readRegularFile } from '../../graph-nodes/runtime/confined-files';
import { graphTextProblem, isPngContent, MAX_GRAPH_FILE_BYTES } from './graph-content';

export interface GraphFileText {
  readonly text: string;
  /** The graph came out of a PNG: the image itself is never to be saved over. */
  readonly fromImage: boolean;
}

export async function readGraphFile(path: string): Promise<GraphFileText> {
  const name = basename(path);
  const bytes = await readRegularFile(path, { maxBytes: MAX_GRAPH_FILE_BYTES });
  const fromImage = isPngContent(bytes);
  // A PNG without a graph gets graphTextFromPng's own explanation.
  const text = fromImage ? graphTextFromPng(bytes, name) : new TextDecoder().decode(bytes);
  const problem = graphTextProblem(text);
  if (problem) throw new Error(`cannot open ${name}: ${problem}`);
  return { text, fromImage };
}
