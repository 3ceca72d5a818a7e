// The complete list of messages the renderer may send to the main process. Main registers a
// handler for each channel and preload exposes one function per channel, so both are checked
// against this single map; there is no way to invoke a channel that is not listed here.

export interface OpenedGraphFile {
  readonly path: string;
  readonly text: string;
}

export interface SaveGraphRequest {
  readonly text: string;
  /** Save over this file without asking; omit to show a save dialog. */
  readonly path?: string;
  /** Name proposed by the save dialog. */
  readonly suggestedName?: string;
}

export interface IpcChannelMap {
  'graph:open': { args: []; result: OpenedGraphFile | null };
  'graph:save': { args: [request: SaveGraphRequest]; result: { path: string } | null };
  /** Reads a data file (e.g. a .npy) that a graph names; only inside folders the user opened. */
  'file:read': { args: [path: string]; result: Uint8Array };
}

export type IpcChannel = keyof IpcChannelMap;
export type IpcArgs<C extends IpcChannel> = IpcChannelMap[C]['args'];
export type IpcResult<C extends IpcChannel> = IpcChannelMap[C]['result'];

export const IPC_CHANNELS = [
  'graph:open',
  'graph:save',
  'file:read',
] as const satisfies readonly IpcChannel[];

/** What preload exposes as `window.principia`. */
export interface PrincipiaDesktopApi {
  readonly platform: string;
  openGraphFile(): Promise<OpenedGraphFile | null>;
  saveGraphFile(request: SaveGraphRequest): Promise<{ path: string } | null>;
  readFile(path: string): Promise<Uint8Array>;
}
