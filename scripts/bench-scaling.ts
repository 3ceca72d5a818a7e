// `npm run bench:scaling`: how the CLI's time grows with the particles, the data points and the
// dimension — the bench fixture (exact empirical denoiser, 20 dpmpp_2m Karras steps) over
// particles 128…4096 × data 500 and 2000 × d = 2 (two moons) and 784 (Fashion-MNIST), whole process
// timed once per cell. Writes docs/performance.md's table and docs/performance-scaling.svg, a
// log–log plot of time against particles, one line per (d, data).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchRunArguments,
  readBenchWorkload,
  writeBenchInputs,
  writeImageBenchInputs,
} from './bench-inputs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO_ROOT, 'bin', 'principia.mjs');
const DOC = join(REPO_ROOT, 'docs', 'performance.md');
const PLOT = join(REPO_ROOT, 'docs', 'performance-scaling.svg');
const TABLE_START = '<!-- scaling table: written by npm run bench:scaling -->';
const TABLE_END = '<!-- end of scaling table -->';

const PARTICLES = [128, 512, 1024, 4096];
const POINTS = [500, 2000];
const DIMENSIONS = [2, 784];

interface Cell {
  readonly dim: number;
  readonly points: number;
  readonly particles: number;
  readonly seconds: number;
  readonly solverSeconds: number;
}

async function measure(dim: number, points: number, particles: number): Promise<Cell> {
  const dir = await mkdtemp(join(tmpdir(), 'principia-scaling-'));
  try {
    const write = dim === 2 ? writeBenchInputs : writeImageBenchInputs;
    const inputs = await write(dir, particles, points, readBenchWorkload().sigmaMax);
    const started = performance.now();
    const run = spawnSync(process.execPath, [CLI, ...benchRunArguments(inputs)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`principia failed:\n${run.stderr}`);
    const report = JSON.parse(run.stdout) as { nodes: { solver: { ms: number } } };
    return { dim, points, particles, seconds, solverSeconds: report.nodes.solver.ms / 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function table(cells: readonly Cell[]): string {
  const header = '| d | data points | ' + PARTICLES.map((n) => `${n} particles`).join(' | ') + ' |';
  const rule = '|---|---|' + PARTICLES.map(() => '---').join('|') + '|';
  const rows = DIMENSIONS.flatMap((dim) =>
    POINTS.map((points) => {
      const times = PARTICLES.map((particles) => {
        const cell = cells.find(
          (c) => c.dim === dim && c.points === points && c.particles === particles,
        )!;
        return `${cell.seconds.toFixed(2)} s (solver ${cell.solverSeconds.toFixed(2)})`;
      });
      return `| ${dim} | ${points} | ${times.join(' | ')} |`;
    }),
  );
  return [header, rule, ...rows].join('\n');
}

/** A log–log plot of whole-process time against particles, one polyline per (d, data points). */
function plot(cells: readonly Cell[]): string {
  const [width, height, left, right, top, bottom] = [640, 400, 70, 170, 20, 50];
  const times = cells.map((c) => c.seconds);
  const [tMin, tMax] = [Math.min(...times) / 1.3, Math.max(...times) * 1.3];
  const x = (n: number) =>
    left +
    ((Math.log(n) - Math.log(PARTICLES[0]!)) /
      (Math.log(PARTICLES.at(-1)!) - Math.log(PARTICLES[0]!))) *
      (width - left - right);
  const y = (t: number) =>
    height -
    bottom -
    ((Math.log(t) - Math.log(tMin)) / (Math.log(tMax) - Math.log(tMin))) * (height - top - bottom);
  const colours = ['#1f77b4', '#aec7e8', '#d62728', '#ff9896'];
  const parts: string[] = [];
  parts.push(
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="black"/>`,
  );
  for (const n of PARTICLES) {
    parts.push(
      `<text x="${x(n)}" y="${height - bottom + 18}" font-size="12" text-anchor="middle">${n}</text>`,
    );
  }
  for (let t = 10 ** Math.floor(Math.log10(tMin)); t <= tMax; t *= 10) {
    for (const m of [1, 2, 5]) {
      const value = t * m;
      if (value < tMin || value > tMax) continue;
      parts.push(
        `<line x1="${left - 4}" y1="${y(value)}" x2="${left}" y2="${y(value)}" stroke="black"/>`,
        `<text x="${left - 8}" y="${y(value) + 4}" font-size="12" text-anchor="end">${value} s</text>`,
      );
    }
  }
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 10}" font-size="13" text-anchor="middle">particles (log)</text>`,
    `<text x="16" y="${(top + height - bottom) / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 16 ${(top + height - bottom) / 2})">whole CLI run (log)</text>`,
  );
  let series = 0;
  for (const dim of DIMENSIONS) {
    for (const points of POINTS) {
      const colour = colours[series]!;
      const line = PARTICLES.map((particles) => {
        const cell = cells.find(
          (c) => c.dim === dim && c.points === points && c.particles === particles,
        )!;
        return `${x(particles).toFixed(1)},${y(cell.seconds).toFixed(1)}`;
      });
      parts.push(
        `<polyline points="${line.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`,
        `<text x="${width - right + 10}" y="${top + 20 + 18 * series}" font-size="12" fill="${colour}">d = ${dim}, ${points} points</text>`,
      );
      series++;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join('\n')}\n</svg>\n`;
}

async function main(): Promise<void> {
  const cells: Cell[] = [];
  for (const dim of DIMENSIONS) {
    for (const points of POINTS) {
      for (const particles of PARTICLES) {
        const cell = await measure(dim, points, particles);
        console.log(
          `d ${dim}, ${points} points, ${particles} particles: ${cell.seconds.toFixed(2)} s ` +
            `(solver ${cell.solverSeconds.toFixed(2)} s)`,
        );
        cells.push(cell);
      }
    }
  }
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < 0) throw new Error(`${DOC} has no scaling-table markers`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on this project's 2-core machine.`;
  await writeFile(
    DOC,
    `${doc.slice(0, start + TABLE_START.length)}\n\n${stamp}\n\n${table(cells)}\n\n${doc.slice(end)}`,
  );
  await writeFile(PLOT, plot(cells));
  // The table in the project's own format, so the check that runs in CI stays green.
  spawnSync('npx', ['prettier', '--write', DOC], { cwd: REPO_ROOT, stdio: 'ignore' });
  console.log(`wrote ${DOC} and ${PLOT}`);
}

await main();
