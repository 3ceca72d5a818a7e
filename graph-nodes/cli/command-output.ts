// Where commands write: the process streams in the CLI, buffers when a test calls main() directly.
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}
