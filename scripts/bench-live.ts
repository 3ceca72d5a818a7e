// Live-run speed in headless Chromium on the WASM backend: with auto-run on, the ρ slider of the
// default preset (2000 particles, 20 Heun steps) is dragged back and forth at 60 moves a second,
// and we count how many re-runs reach the screen per second — a re-run counts once its final
// frame is painted in the trajectory dock. Target: ≥ 30 per second (issue 12).
// Then an image graph: the "Fashion-MNIST: the exact denoiser memorises" preset with 64 particles
// and 20 Heun steps, timed from the Run press to the last frame painted. Target: < 3 s.
// Then live ε: the "Entropic OT" preset with 500 × 500 points (a 250 000-entry plan), the ε slider
// dragged at 60 moves a second over ε ∈ [0.01, 1] (log scale) for 8 s; a re-run counts once its
// plan is painted in the dock's coupling view. Target: ≥ 10 per second.
// Run: npm run bench:live (`-- --only=solver|image|ot` runs one case; BENCH_BACKEND=webgl runs the
// cases on another tfjs backend than wasm, for comparison).
import type { Page } from '@playwright/test';
import { launchBenchBrowser, median, returningUser, startBenchApp } from './bench-browser';
import { discardChanges, setParam, timeImageRun } from './bench-image-run';

const PORT = 4393;
const DRAG_SECONDS = 8;
const MOVE_INTERVAL_MS = 1000 / 60;
const TARGET_PER_SECOND = 30;
const IMAGE_TARGET_SECONDS = 3;

interface Painted {
  readonly at: number;
  readonly run: number;
  readonly step: number;
}

/** Records every paint of the particle canvas (time, run, step) from inside the page. */
async function watchPaints(page: Page): Promise<void> {
  await page.getByTestId('scatter-points').evaluate((canvas) => {
    const paints: Painted[] = [];
    (window as unknown as { __paints: Painted[] }).__paints = paints;
    new MutationObserver(() => {
      const { run, step } = (canvas as HTMLCanvasElement).dataset;
      if (run !== undefined && step !== undefined)
        paints.push({ at: performance.now(), run: Number(run), step: Number(step) });
    }).observe(canvas, { attributes: true, attributeFilter: ['data-draws'] });
  });
}

/** A slider and the stretch of its track a drag sweeps, back and forth every 2 s. */
interface SliderSweep {
  readonly name: string;
  /** Slider positions (the input's own value: log10 of ε on a log slider). */
  readonly low: number;
  readonly high: number;
  readonly digits: number;
}

/**
 * Moves a slider 60 times a second for `seconds`, sweeping low … high and back every 2 s.
 * The moves are made inside the page, as the browser delivers a drag (an input event per pointer
 * move), so the pace does not depend on how quickly this process can talk to the browser.
 */
async function dragSliderFor(
  page: Page,
  sweep: SliderSweep,
  seconds: number,
): Promise<{ moves: number }> {
  const slider = page.getByRole('slider', { name: sweep.name });
  await slider.scrollIntoViewIfNeeded();
  // The pointer rests on the slider, as a hand's would, not over the graph it clicked last.
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  return slider.evaluate(
    (element, { seconds, interval, sweep }) =>
      new Promise<{ moves: number }>((resolve) => {
        const input = element as HTMLInputElement;
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        const started = performance.now();
        let moves = 0;
        const timer = setInterval(() => {
          const elapsed = performance.now() - started;
          if (elapsed > seconds * 1000) {
            clearInterval(timer);
            input.dispatchEvent(new PointerEvent('pointerup', { bubbles: true }));
            resolve({ moves });
            return;
          }
          const phase = (elapsed / 2000) % 1;
          const position =
            sweep.low + (sweep.high - sweep.low) * (phase < 0.5 ? 2 * phase : 2 - 2 * phase);
          setValue.call(input, position.toFixed(sweep.digits));
          input.dispatchEvent(new Event('input', { bubbles: true }));
          moves++;
        }, interval);
      }),
    { seconds, interval: MOVE_INTERVAL_MS, sweep },
  );
}

/** Where a re-run's time went, from the run controller's performance marks, within [from, to]. */
async function runBreakdown(
  page: Page,
  from: number,
  to: number,
): Promise<{ runMs: number; betweenMs: number }> {
  // begin → result (worker run, events, transfer), result → the next begin (UI work between runs).
  const marks = await page.evaluate(() => ({
    begins: performance.getEntriesByName('principia:run-begin').map((mark) => mark.startTime),
    results: performance.getEntriesByName('principia:run-result').map((mark) => mark.startTime),
  }));
  const inWindow = (time: number) => time >= from && time <= to;
  const runMs = marks.begins.flatMap((begin) => {
    const result = marks.results.find((time) => time > begin);
    return inWindow(begin) && result !== undefined ? [result - begin] : [];
  });
  const betweenMs = marks.results.flatMap((result) => {
    const begin = marks.begins.find((time) => time > result);
    return inWindow(result) && begin !== undefined ? [begin - result] : [];
  });
  return { runMs: median(runMs), betweenMs: median(betweenMs) };
}

/**
 * The default preset's ρ slider dragged with auto-run on: re-runs whose final frame reached the
 * trajectory dock, per second.
 */
async function liveSolverCase(page: Page): Promise<void> {
  await page.getByTestId('node-solver').waitFor();
  const steps = 20;
  await page.getByTestId('node-timesteps').click();
  await page.getByTestId('auto-run').check();
  await page.locator('[data-testid="run-status"][data-phase="done"]').waitFor({ timeout: 60_000 });
  await watchPaints(page);

  const { moves } = await dragSliderFor(
    page,
    { name: 'ρ slider', low: 4, high: 10, digits: 1 },
    DRAG_SECONDS,
  );
  // Let the last run land, then read what was painted.
  await page.locator('[data-testid="run-status"][data-phase="done"]').waitFor();
  await page.waitForTimeout(300);
  const paints = await page.evaluate(() => (window as unknown as { __paints: Painted[] }).__paints);

  // A re-run reached the screen when its final frame was painted; the first paint of each run
  // marks when its result began to show.
  const finished = new Map<number, number>();
  for (const paint of paints) {
    if (paint.step === steps && !finished.has(paint.run)) finished.set(paint.run, paint.at);
  }
  const times = [...finished.values()].sort((a, b) => a - b);
  const span = (times.at(-1)! - times[0]!) / 1000;
  const perSecond = (times.length - 1) / span;
  const gaps = times.slice(1).map((time, k) => time - times[k]!);
  const runText = (await page.getByTestId('run-status').textContent()) ?? '';
  const { runMs, betweenMs } = await runBreakdown(page, times[0]!, times.at(-1)!);
  console.log(`pointer moves: ${moves} in ${DRAG_SECONDS} s`);
  if (process.env['BENCH_DEBUG']) console.log(paints.slice(0, 5), paints.length);
  console.log(`re-runs painted: ${times.length} over ${span.toFixed(2)} s`);
  console.log(`median time between painted re-runs: ${median(gaps).toFixed(1)} ms`);
  console.log(`last run: ${runText.trim()}`);
  console.log(
    `median run (start → result in the UI): ${runMs.toFixed(1)} ms; ` +
      `median UI time between runs: ${betweenMs.toFixed(1)} ms`,
  );
  console.log(
    `live re-runs + redraws: ${perSecond.toFixed(1)} per second (target ≥ ${TARGET_PER_SECOND})`,
  );
  if (!(perSecond >= TARGET_PER_SECOND)) process.exitCode = 1;
}

async function imageCase(page: Page): Promise<void> {
  const imageSeconds = await timeImageRun(page);
  console.log(
    `image graph (Fashion-MNIST exact denoiser, 64 particles, 20 Heun steps): ` +
      `${imageSeconds.map((s) => s.toFixed(2)).join(', ')} s, median ` +
      `${median(imageSeconds).toFixed(2)} s (target < ${IMAGE_TARGET_SECONDS} s)`,
  );
  if (!(median(imageSeconds) < IMAGE_TARGET_SECONDS)) process.exitCode = 1;
}

const OT_PRESET = 'entropic-ot-moons-to-gaussians';
const OT_POINTS = 500;
const OT_TARGET_PER_SECOND = 10;

interface PlanPaint {
  readonly at: number;
  readonly run: number;
  readonly epsilon: number;
  /** The ot node's own time in that run, and its Sinkhorn iterations. */
  readonly otMs: number;
  readonly iterations: number;
  /** The coupling view's own drawing time (UI thread). */
  readonly drawMs: number;
}

/**
 * Live ε on a 500 × 500 plan: the Entropic OT preset with both clouds at 500 points, auto-run on,
 * the ε slider dragged; re-runs whose plan was painted in the dock's coupling view, per second.
 */
async function liveTransportCase(page: Page): Promise<void> {
  await page.getByTestId('auto-run').uncheck();
  await page.getByTestId('open-gallery').click();
  await page.getByTestId(`preset-${OT_PRESET}`).click();
  await discardChanges(page);
  await page.getByTestId('node-ot').waitFor();
  await setParam(page, 'source', 'Count', String(OT_POINTS));
  await setParam(page, 'target', 'Count', String(OT_POINTS));
  await page.getByTestId('node-ot').click();
  await page.getByTestId('auto-run').check();
  await page.locator('[data-testid="run-status"][data-phase="done"]').waitFor({ timeout: 60_000 });
  const view = page.getByTestId('coupling-view');
  await page.waitForFunction(
    (points) =>
      document
        .querySelector('[data-testid="preview-caption"]')
        ?.textContent?.includes(`${points} × ${points} plan`),
    OT_POINTS,
  );
  await view.evaluate((canvas) => {
    const paints: PlanPaint[] = [];
    (window as unknown as { __planPaints: PlanPaint[] }).__planPaints = paints;
    new MutationObserver(() => {
      const { run, epsilon, drawMs } = (canvas as HTMLCanvasElement).dataset;
      const timing = [...document.querySelectorAll('[data-testid="node-timings"] .timing')]
        .map((element) => element.textContent ?? '')
        .find((text) => text.startsWith('ot '));
      const iterations = document
        .querySelector('[data-testid="coupling-value-iterations"]')
        ?.getAttribute('data-value');
      paints.push({
        at: performance.now(),
        run: Number(run),
        epsilon: Number(epsilon),
        otMs: Number(/^ot ([\d.]+) ms/.exec(timing ?? '')?.[1] ?? NaN),
        iterations: Number(iterations),
        drawMs: Number(drawMs),
      });
    }).observe(canvas, { attributes: true, attributeFilter: ['data-draws'] });
  });

  // log10 ε from −2 to 0: ε from 0.01 to 1 and back every 2 s.
  const { moves } = await dragSliderFor(
    page,
    { name: 'ε slider', low: -2, high: 0, digits: 2 },
    DRAG_SECONDS,
  );
  await page.locator('[data-testid="run-status"][data-phase="done"]').waitFor();
  await page.waitForTimeout(300);
  const paints = await page.evaluate(
    () => (window as unknown as { __planPaints: PlanPaint[] }).__planPaints,
  );
  const firstPaint = new Map<number, PlanPaint>();
  for (const paint of paints) if (!firstPaint.has(paint.run)) firstPaint.set(paint.run, paint);
  const times = [...firstPaint.values()].map((paint) => paint.at).sort((a, b) => a - b);
  const span = (times.at(-1)! - times[0]!) / 1000;
  const perSecond = (times.length - 1) / span;
  const gaps = times.slice(1).map((time, k) => time - times[k]!);
  const painted = [...firstPaint.values()];
  const epsilons = painted.map((paint) => paint.epsilon);
  const otMs = median(painted.map((paint) => paint.otMs).filter(Number.isFinite));
  const iterationCounts = median(painted.map((paint) => paint.iterations));
  const drawMs = median(painted.map((paint) => paint.drawMs));
  const { runMs, betweenMs } = await runBreakdown(page, times[0]!, times.at(-1)!);
  const runText = (await page.getByTestId('run-status').textContent()) ?? '';
  const otBadge = (await page.getByTestId('node-ot').locator('.run-badge').textContent()) ?? '';
  const iterations = await page.getByTestId('coupling-value-iterations').getAttribute('data-value');
  console.log(
    `\nlive ε (Entropic OT, ${OT_POINTS} × ${OT_POINTS} points, ε ∈ [0.01, 1]): ` +
      `pointer moves: ${moves} in ${DRAG_SECONDS} s`,
  );
  console.log(
    `plans painted: ${times.length} over ${span.toFixed(2)} s, ε from ` +
      `${Math.min(...epsilons)} to ${Math.max(...epsilons)}; median time between them ` +
      `${median(gaps).toFixed(1)} ms`,
  );
  console.log(
    `last run: ${runText.trim()} (ot ${otBadge.trim()}, ${iterations} Sinkhorn iterations)`,
  );
  console.log(
    `median run (start → result in the UI): ${runMs.toFixed(1)} ms, of which the ot node ` +
      `${otMs.toFixed(1)} ms (median ${iterationCounts} Sinkhorn iterations); ` +
      `median UI time between runs: ${betweenMs.toFixed(1)} ms; median coupling-view draw ` +
      `(UI thread): ${drawMs.toFixed(1)} ms`,
  );
  console.log(
    `live ε re-runs + redraws: ${perSecond.toFixed(1)} per second ` +
      `(target ≥ ${OT_TARGET_PER_SECOND})`,
  );
  if (!(perSecond >= OT_TARGET_PER_SECOND)) process.exitCode = 1;
}

async function main(): Promise<void> {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const app = await startBenchApp('bench-live', PORT);
  const browser = await launchBenchBrowser();
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 860 },
      storageState: returningUser(app.url),
    });
    const backend = process.env['BENCH_BACKEND'] ?? 'wasm';
    await page.goto(`${app.url}?backend=${backend}`);
    await page.getByTestId('backend').filter({ hasText: backend }).waitFor({ timeout: 60_000 });
    if (!only || only === 'solver') await liveSolverCase(page);
    if (!only || only === 'image') await imageCase(page);
    if (!only || only === 'ot') await liveTransportCase(page);
  } finally {
    await browser.close();
    app.stop();
  }
}

await main();
