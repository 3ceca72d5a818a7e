// What to tell the user about a failure, whatever was thrown. A GraphError's message already
// lists its issues (file, node, port, param); Comlink carries only the message across from the
// worker, so this is also all the UI thread ever gets of engine errors.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
