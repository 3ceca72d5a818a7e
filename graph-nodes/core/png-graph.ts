// A graph carried inside a PNG: the view export writes the document's JSON into an iTXt chunk
// under this keyword, and opening such a PNG reads it back.
import { readPngText } from '../math/png';

export const GRAPH_TEXT_KEYWORD = 'principia.graph';

export function isPngName(name: string): boolean {
  return /\.png$/i.test(name);
}

/** The graph JSON a PNG carries; a clear error when it is not a PNG or carries none. */
export function graphTextFromPng(bytes: Uint8Array, name: string): string {
  let texts: Record<string, string>;
  try {
    texts = readPngText(bytes);
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const text = texts[GRAPH_TEXT_KEYWORD];
  if (text === undefined) {
    throw new Error(
      `${name} is a PNG without a Principia graph in it; only images exported from Principia's ` +
        'preview carry one',
    );
  }
  return text;
}

/** The document name a graph opened from `imageName` gets ("view.png" → "view.graph.json"). */
export function graphNameForImage(imageName: string): string {
  return imageName.replace(/\.png$/iu, '.graph.json');
}
