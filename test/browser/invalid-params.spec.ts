// A graph file with bad param values is marked the moment it opens: the card underlines the bad
// values and lists what is wrong, the inspector says it under the field, before any Run.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openThroughFileChooser, withoutFileSystemAccess } from './files-helpers';

test('invalid params are marked on the card and in the inspector at load', async ({
  page,
}, testInfo) => {
  await withoutFileSystemAccess(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  const preset = JSON.parse(await readFile('presets/default.graph.json', 'utf8')) as {
    nodes: { id: string; params: Record<string, unknown> }[];
  };
  const timesteps = preset.nodes.find((node) => node.id === 'timesteps')!;
  timesteps.params.steps = 'twenty';
  // A rule across params: σ_max must be above σ_min.
  timesteps.params.sigma_min = 5;
  timesteps.params.sigma_max = 1;
  await openThroughFileChooser(page, 'bad-values.graph.json', JSON.stringify(preset));

  const card = page.getByTestId('node-timesteps');
  await expect(card).toBeVisible();
  await expect(card.locator('[data-invalid]').first()).toBeVisible();
  const problems = page.getByTestId('param-problems-timesteps');
  await expect(problems).toContainText('steps');
  // Nothing ran: the marks come from the load, not from a failed run.
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('node-solver').locator('[data-invalid]')).toHaveCount(0);

  await card.locator('header').click();
  const inspector = page.getByTestId('inspector-timesteps');
  await expect(inspector.getByTestId('param-error-steps')).toContainText('integer');
  await page.screenshot({ path: testInfo.outputPath('invalid-params.png') });

  // Fixing the value clears its mark; then the rule across params has its say (rules run on
  // values of the right types), on the card and under the field.
  const steps = inspector.getByTestId('param-steps').getByLabel('Steps', { exact: true });
  await steps.fill('20');
  await steps.press('Enter');
  await expect(problems).not.toContainText('steps:');
  await expect(problems).toContainText('sigma_max');
  await expect(inspector.getByTestId('param-error-sigma_max')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'idle');
});
