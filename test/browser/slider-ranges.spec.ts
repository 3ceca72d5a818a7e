// Sliders span fixed ranges taken from each param's schema: a slow drag of ρ to the right ends at
// its top (10) instead of chasing a maximum that doubles with the value; the steps slider is on a
// log scale, so 20 sits mid-track; a value typed beyond the range is kept (and pins the thumb).
import { expect, test, type Locator, type Page } from '@playwright/test';

async function slowDrag(page: Page, slider: Locator, fromFraction: number, toFraction: number) {
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  const at = (fraction: number) => box.x + 8 + fraction * (box.width - 16);
  await page.mouse.move(at(fromFraction), y);
  await page.mouse.down();
  const values: number[] = [];
  for (let k = 1; k <= 30; k++) {
    await page.mouse.move(at(fromFraction + ((toFraction - fromFraction) * k) / 30), y);
    values.push(Number(await slider.inputValue()));
  }
  await page.mouse.up();
  return values;
}

test('sliders keep fixed ranges from the schema', async ({ page }, testInfo) => {
  await page.goto('/?backend=wasm');
  await page.getByTestId('node-timesteps').locator('header').click();
  const inspector = page.getByTestId('inspector-timesteps');

  const rho = inspector.getByRole('slider', { name: 'ρ slider' });
  await expect(rho).toHaveAttribute('min', '1');
  await expect(rho).toHaveAttribute('max', '10');
  const values = await slowDrag(page, rho, 0.5, 1.1);
  for (let k = 1; k < values.length; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
  expect(Math.max(...values)).toBeLessThanOrEqual(10);
  expect(values.at(-1)).toBe(10);
  await expect(rho).toHaveAttribute('max', '10'); // the range did not move under the drag
  const rhoText = inspector.getByTestId('param-rho').getByLabel('ρ', { exact: true });
  await expect(rhoText).toHaveValue('10');

  // Typed beyond the slider's range (within the schema): kept, the thumb pinned at the end.
  await rhoText.fill('25');
  await rhoText.press('Enter');
  await expect(rhoText).toHaveValue('25');
  await expect(inspector.getByTestId('param-error-rho')).toHaveCount(0);
  await expect(rho).toHaveAttribute('max', '10');

  // Steps on a log scale 1 … 200: the default 20 sits past the middle, not at the far left.
  const steps = inspector.getByRole('slider', { name: 'Steps slider' });
  await steps.scrollIntoViewIfNeeded();
  const box = (await steps.boundingBox())!;
  const position =
    (Number(await steps.inputValue()) - Number(await steps.getAttribute('min'))) /
    (Number(await steps.getAttribute('max')) - Number(await steps.getAttribute('min')));
  expect(position).toBeGreaterThan(0.4);
  expect(position).toBeLessThan(0.75);
  await page.mouse.click(box.x + 8 + 0.3 * (box.width - 16), box.y + box.height / 2);
  const stepsText = inspector.getByTestId('param-steps').getByLabel('Steps', { exact: true });
  // 30 % of a log track from 1 to 200 is 200^0.3 ≈ 5: a whole number of steps.
  await expect.poll(async () => Number(await stepsText.inputValue())).toBeLessThan(20);
  const clicked = Number(await stepsText.inputValue());
  expect(Number.isInteger(clicked)).toBe(true);
  expect(clicked).toBeGreaterThan(2);
  await page.screenshot({ path: testInfo.outputPath('slider-ranges.png') });
});
