// Graph files in a plain browser: the File System Access API where the browser has it (open, then
// save back to the same file), an <input type=file> and a download everywhere else.
import { graphNameForImage, graphTextFromPng, isPngName } from '../../graph-nodes/core/png-graph';

interface PickerType {
  readonly description: string;
  readonly accept: Record<string, readonly string[]>;
}

interface FilePickerWindow {
  showOpenFilePicker?(options: {
    types?: readonly PickerType[];
    multiple?: boolean;
  }): Promise<FileSystemFileHandle[]>;
  showSaveFilePicker?(options: {
    suggestedName?: string;
    types?: readonly PickerType[];
  }): Promise<FileSystemFileHandle>;
}

const GRAPH_TYPES: readonly PickerType[] = [
  { description: 'Principia graph', accept: { 'application/json': ['.json'] } },
  { description: 'Preview image with its graph', accept: { 'image/png': ['.png'] } },
];

export interface PickedFile {
  readonly name: string;
  readonly text: string;
  /** Present when the file can be saved back to (File System Access API). */
  readonly handle?: FileSystemFileHandle;
}

function pickers(): FilePickerWindow {
  return window as unknown as FilePickerWindow;
}

export function hasFileSystemAccess(): boolean {
  const w = pickers();
  return typeof w.showOpenFilePicker === 'function' && typeof w.showSaveFilePicker === 'function';
}

/** The user dismissing a picker is not an error. */
function isCancel(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export async function pickGraphFile(): Promise<PickedFile | null> {
  const open = pickers().showOpenFilePicker;
  if (hasFileSystemAccess() && open) {
    try {
      const [handle] = await open.call(window, { types: GRAPH_TYPES, multiple: false });
      if (!handle) return null;
      const file = await handle.getFile();
      if (isPngName(file.name)) return readGraphFromPng(file);
      return { name: file.name, text: await file.text(), handle };
    } catch (error) {
      if (isCancel(error)) return null;
      throw error;
    }
  }
  const file = await chooseWithInput();
  if (file && isPngName(file.name)) return readGraphFromPng(file);
  return file ? { name: file.name, text: await file.text() } : null;
}

/** A PNG exported from the preview opens as the graph it carries, never to be saved over. */
export async function readGraphFromPng(file: File): Promise<PickedFile> {
  const text = graphTextFromPng(new Uint8Array(await file.arrayBuffer()), file.name);
  return { name: graphNameForImage(file.name), text };
}

function chooseWithInput(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json,.png,image/png';
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.click();
  });
}

/** Asks where to save; null when cancelled or when the browser has no File System Access API. */
export async function pickSaveHandle(suggestedName: string): Promise<FileSystemFileHandle | null> {
  const save = pickers().showSaveFilePicker;
  if (!hasFileSystemAccess() || !save) return null;
  try {
    return await save.call(window, { suggestedName, types: GRAPH_TYPES });
  } catch (error) {
    if (isCancel(error)) return null;
    throw error;
  }
}

/** The browser writes the new text to a swap file and swaps it in on close: an atomic save. */
export async function writeToHandle(handle: FileSystemFileHandle, text: string): Promise<void> {
  const writable = await handle.createWritable();
  try {
    await writable.write(text);
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
}

export function downloadText(fileName: string, text: string): void {
  downloadBlob(fileName, new Blob([text], { type: 'application/json' }));
}

/** Offers bytes (an exported image, array or animation) as a download. */
export function downloadBytes(fileName: string, bytes: Uint8Array, type: string): void {
  downloadBlob(fileName, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; free it once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
