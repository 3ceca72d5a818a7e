// The image workload as a person runs it in the app, for the browser benches (bench:live) and the
// GPU check: the "Fashion-MNIST: the exact denoiser memorises" preset with 64 particles and 20
// Heun steps, timed from the Run press to the last frame painted in the dock.
import type { Page } from '@playwright/test';

/** Answers "discard changes?" when opening a preset over a changed document (an earlier case's). */
export async function discardChanges(page: Page): Promise<void> {
  const discard = page.getByTestId('prompt-discard');
  try {
    await discard.waitFor({ timeout: 1500 });
    await discard.click();
  } catch {
    // The document was unchanged: no question asked.
  }
}

export const IMAGE_PRESET = 'Fashion-MNIST: the exact denoiser memorises';

/** Sets a param through the inspector, as a user types it. */
export async function setParam(
  page: Page,
  node: string,
  label: string,
  value: string,
): Promise<void> {
  await page.getByTestId(`node-${node}`).click();
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.fill(value);
  await field.press('Enter');
}

/**
 * Opens the image preset, sets 64 particles and 20 steps, and times three runs from the Run press
 * to the last frame's paint in the dock, inside the page (a run of an unchanged graph is cached,
 * so each run changes the prior's seed).
 */
export async function timeImageRun(page: Page): Promise<number[]> {
  await page.getByTestId('auto-run').uncheck();
  await page.getByTestId('open-gallery').click();
  await page
    .getByTestId('preset-gallery')
    .locator('.preset-card')
    .filter({ hasText: IMAGE_PRESET })
    .first()
    .click();
  // The slider drag left the default preset changed: its changes are not wanted.
  await discardChanges(page);
  await page.getByTestId('graph-title').filter({ hasText: IMAGE_PRESET }).waitFor();
  await setParam(page, 'prior', 'Count', '64');
  await setParam(page, 'timesteps', 'Steps', '20');
  const seconds: number[] = [];
  for (let run = 0; run < 3; run++) {
    await setParam(page, 'prior', 'Seed', String(100 + run));
    await page.evaluate(() => {
      const marks: { pressed?: number; painted?: number } = {};
      (window as unknown as { imageMarks: typeof marks }).imageMarks = marks;
      const button = document.querySelector('[data-testid="run-button"]')!;
      button.addEventListener('click', (event) => (marks.pressed = event.timeStamp), {
        capture: true,
        once: true,
      });
      // The last run's grid shows step 20 until this run's first frame arrives: only a step 20
      // painted after an earlier step of this run counts.
      let sawEarlierStep = false;
      const observer = new MutationObserver(() => {
        const step = document
          .querySelector('[data-testid="image-frame-x"]')
          ?.getAttribute('data-step');
        if (step !== undefined && step !== null && step !== '20') sawEarlierStep = true;
        if (sawEarlierStep && step === '20') {
          marks.painted ??= performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { attributes: true, subtree: true });
    });
    await page.getByTestId('run-button').click();
    await page
      .locator('[data-testid="run-status"][data-phase="done"]')
      .waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => (window as unknown as { imageMarks: { painted?: number } }).imageMarks.painted,
    );
    const marks = await page.evaluate(
      () => (window as unknown as { imageMarks: { pressed: number; painted: number } }).imageMarks,
    );
    seconds.push((marks.painted - marks.pressed) / 1000);
  }
  return seconds;
}
