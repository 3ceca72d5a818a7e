// Real-mouse helpers for the editor tests: library drags, wiring ports, reading the document.
import { expect, type Locator, type Page } from '@playwright/test';

export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A mouse drag in small steps, as a hand would do it. */
export async function dragMouse(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  options: { steps?: number; modifiers?: 'Shift'[] } = {},
): Promise<void> {
  for (const key of options.modifiers ?? []) await page.keyboard.down(key);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y + 6, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: options.steps ?? 12 });
  await page.mouse.up();
  for (const key of options.modifiers ?? []) await page.keyboard.up(key);
}

/** Drags a library entry onto the canvas, at `at` relative to the canvas's top-left corner. */
export async function dragFromLibrary(
  page: Page,
  entry: string,
  at: { x: number; y: number },
): Promise<void> {
  await page
    .getByTestId(`library-${entry}`)
    .dragTo(page.getByTestId('canvas'), { targetPosition: at });
}

export function port(page: Page, node: string, side: 'input' | 'output', name: string): Locator {
  return page.getByTestId(`port-${node}-${side}-${name}`);
}

/** Drags a wire from an output port to an input port. */
export async function wire(
  page: Page,
  from: [node: string, port: string],
  to: [node: string, port: string],
): Promise<void> {
  await dragMouse(
    page,
    await centreOf(port(page, from[0], 'output', from[1])),
    await centreOf(port(page, to[0], 'input', to[1])),
  );
}

/** A point on the canvas away from nodes and panels (top right, under nothing). */
export async function emptyCanvasPoint(page: Page): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  return { x: box.x + box.width - 40, y: box.y + 40 };
}

/** The open document's JSON, as the inspector shows it with nothing selected. */
export async function readDocument(page: Page): Promise<string> {
  const point = await emptyCanvasPoint(page);
  await page.mouse.click(point.x, point.y);
  await expect(page.getByTestId('document-json-toggle')).toBeVisible();
  await page.getByTestId('document-json-toggle').locator('summary').click();
  const text = await page.getByTestId('document-json').textContent();
  await page.getByTestId('document-json-toggle').locator('summary').click();
  return text ?? '';
}

/** Waits until the canvas stops moving (the opening fit-to-view has landed). */
export async function waitForCanvasToSettle(page: Page): Promise<void> {
  const viewport = page.locator('.react-flow__viewport');
  let previous = '';
  for (let attempt = 0; attempt < 50; attempt++) {
    const transform = (await viewport.getAttribute('style')) ?? '';
    if (transform === previous) return;
    previous = transform;
    await page.waitForTimeout(150);
  }
}

/** Opens the app on the wasm backend and then a preset from the gallery, as a user would. */
export async function openPreset(page: Page, name: string): Promise<void> {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
  await page.getByTestId('open-gallery').click();
  await page.getByTestId(`preset-${name}`).click();
  await waitForCanvasToSettle(page);
}

/**
 * Clicks `buttonTestId` and returns the milliseconds, timed inside the page, from the press
 * reaching the page to `targetTestId`'s data-phase becoming `phase`. The time this test process
 * needs to drive the browser on a loaded machine is not the app's.
 */
export async function timeUntilPhase(
  page: Page,
  buttonTestId: string,
  targetTestId: string,
  phase: string,
): Promise<number> {
  await page.evaluate(
    ({ buttonTestId, targetTestId, phase }) => {
      const marks: { pressed?: number; reached?: number } = {};
      (window as unknown as { phaseMarks: typeof marks }).phaseMarks = marks;
      const button = document.querySelector(`[data-testid="${buttonTestId}"]`)!;
      // The event's own time stamp: when the press reached the page, before any wait to handle it.
      button.addEventListener('click', (event) => (marks.pressed = event.timeStamp), {
        capture: true,
      });
      const target = document.querySelector(`[data-testid="${targetTestId}"]`)!;
      new MutationObserver(() => {
        if (target.getAttribute('data-phase') === phase) marks.reached ??= performance.now();
      }).observe(target, { attributes: true });
    },
    { buttonTestId, targetTestId, phase },
  );
  await page.getByTestId(buttonTestId).click();
  await expect(page.getByTestId(targetTestId)).toHaveAttribute('data-phase', phase);
  const marks = await page.evaluate(
    () => (window as unknown as { phaseMarks: { pressed: number; reached: number } }).phaseMarks,
  );
  return marks.reached - marks.pressed;
}

/** Clicks Run and waits until the run ends in `phase` ("done", or "failed" for a run meant to fail). */
export async function runAndWait(page: Page, phase = 'done'): Promise<void> {
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', phase, {
    timeout: 120_000,
  });
}

/** Shows a step by dragging the timeline's scrubber with the mouse. */
export async function scrubTo(page: Page, fraction: number): Promise<void> {
  const box = (await page.getByTestId('timeline-scrubber').boundingBox())!;
  // Native range inputs keep their thumb half a thumb-width inside each end.
  const x = box.x + 8 + fraction * (box.width - 16);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
}
