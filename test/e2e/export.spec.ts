import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, signInToDemo, test } from './host-fixture';

test('export the current filter as a signed package, then verify it in the app', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);
  await page.getByTestId('filter-input').fill('event:Delete*');
  await page.getByTestId('filter-input').press('Enter');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('event: Delete*');

  await page.getByTestId('export-menu').locator('summary').click();
  const form = page.getByRole('form', { name: 'Export signed package' });
  const outPath = join(app.dataDir, 'deletions.zip');
  await form.getByLabel('Save as (absolute path of a new .zip)').fill(outPath);
  await form.getByRole('checkbox', { name: 'XLSX' }).check();
  await form.getByRole('button', { name: /^Export/ }).click();
  await expect(page.getByTestId('export-status')).toContainText('Signed package written', { timeout: 60_000 });
  expect(existsSync(outPath)).toBe(true);

  await page.getByTestId('export-status').getByRole('button', { name: 'Verify it' }).click();
  const report = page.getByTestId('verify-report');
  await expect(report).toContainText('VERIFIED');
  await expect(report.getByText('FAILED')).toHaveCount(0);

  // Browse the verified package read-only: its records, straight from the zip.
  const deletes = Number(((await page.getByTestId('result-count').textContent()) ?? '').replace(/[^0-9]/g, ''));
  await page.getByRole('button', { name: 'Open package (read-only)' }).click();
  const browser = page.getByTestId('package-records');
  await expect(browser).toContainText(`${deletes.toLocaleString('en-US')} records from records.json`);
  await expect(browser.locator('tbody tr').first()).toContainText('Delete');
  await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();

  // A path that is not a package gets a clear failure, not a crash.
  await page.getByRole('button', { name: 'Verify…' }).click();
  await page.getByLabel('Package or proof path').fill(join(app.dataDir, 'nope.zip'));
  await page.getByRole('form', { name: 'Verify package' }).getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('dialog')).toContainText(/FAILED|not|cannot|no such/i);
});
