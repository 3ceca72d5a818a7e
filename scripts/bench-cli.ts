// Runs the real CLI as users do (its own process, from the repository root) for the benches that
// time it whole: wall time from spawn to exit, peak resident memory, and its --json report.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'principia.mjs');

export interface CliReport {
  ok: boolean;
  nodes: Record<string, { ms: number; nfe?: number } | undefined>;
}

/** The high-water mark of a process's resident memory (Linux), in MiB. */
function peakResidentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the CLI as users do (its own process), timing it from spawn to exit. */
export function timeCli(
  args: readonly string[],
): Promise<{ seconds: number; peakMiB: number | undefined; report: CliReport }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // VmHWM is a high-water mark: the last reading before exit is the peak but for the final
    // few milliseconds.
    let peakMiB: number | undefined;
    const poll = setInterval(() => {
      peakMiB = peakResidentMiB(child.pid!) ?? peakMiB;
    }, 20);
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        fail(new Error(`principia exited with ${code}:\n${stderr}${stdout}`));
        return;
      }
      done({ seconds, peakMiB, report: JSON.parse(stdout) as CliReport });
    });
  });
}
