// A graph carried inside a PNG: the view export writes the document's JSON into a tEXt chunk
// under this keyword, and opening such a PNG reads it back.
import { readPngText } from '../math/png';

export const GRAPH_TEXT_KEYWORD = 'principia.graph';

/**
 * The graph's JSON as tEXt can hold it: tEXt is Latin-1, so every character beyond ASCII (σ̃, x̂₀,
 * …; they can only stand inside JSON strings) is written as its \uXXXX escape. JSON.parse reads
 * back the same document.
 */
export function graphPngText(json: string): string {
  return json.replace(
    /[^\x20-\x7e\n\r\t]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

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
  const text = Object.hasOwn(texts, GRAPH_TEXT_KEYWORD) ? texts[GRAPH_TEXT_KEYWORD] : undefined;
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
