// The inspector: widgets from the param schema, invalid values shown (never clamped),
// algorithm-specific params shown only for the algorithms that read them.
import { expect, test } from '@playwright/test';

test('inspector edits params, shows invalid values inline, follows visibleWhen', async ({
  page,
}, testInfo) => {
  await page.goto('/?backend=wasm');
  await page.getByTestId('node-timesteps').locator('header').click();
  const inspector = page.getByTestId('inspector-timesteps');
  await expect(inspector).toContainText('Monograph');
  const steps = inspector.getByTestId('param-steps').getByLabel('Steps', { exact: true });
  await steps.fill('5000');
  await steps.press('Enter');
  await expect(inspector.getByTestId('param-error-steps')).toContainText('1000');
  await expect(steps).toHaveValue('5000');
  await expect(page.getByTestId('node-timesteps')).toContainText('5000');
  await steps.fill('abc');
  await steps.press('Enter');
  await expect(inspector.getByTestId('param-steps')).toContainText('"abc" is not a number');

  await page.getByTestId('node-solver').locator('header').click();
  const solver = page.getByTestId('inspector-solver');
  await expect(solver.getByTestId('param-s_churn')).toBeVisible();
  await solver.getByTestId('param-algorithm').locator('select').selectOption('dpmpp_2m');
  await expect(solver.getByTestId('param-s_churn')).toHaveCount(0);

  await page.getByTestId('node-prior').locator('header').click();
  const seedField = page.getByTestId('inspector-prior').getByTestId('param-seed');
  const seed = seedField.getByLabel('Seed', { exact: true });
  const before = await seed.inputValue();
  await seedField.getByRole('button', { name: /Randomize/ }).click();
  await expect(seed).not.toHaveValue(before);
  await expect(page.getByTestId('node-prior')).toContainText(await seed.inputValue());
  // An optional JSON param starts empty (its default), takes a value, and empties back to it.
  const shape = page.getByTestId('inspector-prior').getByTestId('param-shape').locator('textarea');
  await expect(shape).toHaveValue('');
  await shape.fill('[1, 28, 28]');
  await shape.blur();
  await expect(shape).toHaveValue('[1,28,28]');
  await expect(page.getByTestId('param-error-shape')).toHaveCount(0);
  await shape.fill('');
  await shape.blur();
  await expect(shape).toHaveValue('');
  await expect(page.getByTestId('param-error-shape')).toHaveCount(0);

  await page.getByTestId('node-denoiser').locator('header').click();
  const means = page
    .getByTestId('inspector-denoiser')
    .getByTestId('param-means')
    .locator('textarea');
  await means.fill('[[1, 2], [3');
  await means.blur();
  await expect(page.getByTestId('param-means')).toContainText('not valid JSON');

  const screenshot = testInfo.outputPath('editor-inspector.png');
  await page.screenshot({ path: screenshot });
  await testInfo.attach('inspector with invalid values', {
    path: screenshot,
    contentType: 'image/png',
  });
});
