// Where commands write: the process streams in the CLI, buffers when a test calls main() directly.
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal, where progress bars may be drawn (never in a log or CI). */
  readonly stderrIsTTY?: boolean;
}
