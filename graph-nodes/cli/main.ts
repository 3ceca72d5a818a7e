// The CLI's entry: command line → command → exit code. bin/principia.mjs loads this through tsx.
// Commands are imported lazily so `--help` and usage errors never load the engine or tfjs.
import { GraphError, formatIssue } from '../core/errors';
import { parseCommandLine } from './arguments';
import { EXIT_BAD_INPUT, EXIT_RUNTIME_FAILURE } from './exit-codes';
import type { CommandOutput } from './command-output';
import { HELP_TEXT, UsageError } from './usage';

const processOutput: CommandOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};

export async function main(
  argv: readonly string[],
  output: CommandOutput = processOutput,
): Promise<number> {
  try {
    const request = parseCommandLine(argv);
    switch (request.command) {
      case 'help':
        output.stdout(HELP_TEXT);
        return 0;
      case 'nodes': {
        const { nodesCommand } = await import('./nodes-command');
        return nodesCommand(request, output);
      }
      case 'train': {
        const { trainCommand } = await import('./train-command');
        return await trainCommand(request, output);
      }
      case 'sweep': {
        const { sweepCommand } = await import('./sweep-command');
        return await sweepCommand(request, output);
      }
      case 'sweep-merge': {
        const { sweepMergeCommand } = await import('./sweep-merge-command');
        return await sweepMergeCommand(request, output);
      }
      case 'sweep-worker': {
        const { sweepWorkerCommand } = await import('./sweep-worker');
        return await sweepWorkerCommand(output);
      }
      case 'run': {
        const { runCommand } = await import('./run-command');
        return await runCommand(request, output);
      }
    }
  } catch (error) {
    return reportFailure(error, output);
  }
}

function reportFailure(error: unknown, output: CommandOutput): number {
  if (error instanceof UsageError) {
    output.stderr(`error: ${error.message}\n(see principia --help)\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof GraphError) {
    for (const issue of error.issues) output.stderr(`error: ${formatIssue(issue)}\n`);
    return EXIT_BAD_INPUT;
  }
  // Stacks help whoever debugs the engine, not someone running a graph; opt in to them.
  const detailed = process.env.PRINCIPIA_DEBUG && error instanceof Error && error.stack;
  output.stderr(`error: ${detailed || (error instanceof Error ? error.message : String(error))}\n`);
  return EXIT_RUNTIME_FAILURE;
}
