import { expect, signInToDemo, test } from './host-fixture';

const resultCount = async (page: import('@playwright/test').Page) => Number(((await page.getByTestId('result-count').textContent()) ?? '').replace(/[^0-9]/g, ''));

test('findings: open a group, filter to a finding, read its explanation, suppress it, see it in settings', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);
  const panel = page.getByRole('region', { name: /Findings/ });
  const group = panel.getByRole('button', { name: /Brute-force logins/ }).first();
  await expect(group).toBeVisible();
  await group.click();
  const finding = panel.locator('.finding-item').first();
  const explanation = (await finding.locator('.finding-explanation').textContent()) ?? '';
  expect(explanation).toMatch(/failed log/i);
  await finding.click();

  // The table shows exactly the finding's records, highlighted, and the detail explains why.
  const stored = app.core.session.readerDb()!.prepare("SELECT record_count FROM findings WHERE rule = 'brute_force' ORDER BY first_event_time DESC LIMIT 1").pluck().get() as number;
  await expect.poll(() => resultCount(page)).toBe(stored);
  await expect(page.getByRole('row').nth(1).getByLabel('high finding')).toBeVisible();
  await page.getByRole('row').nth(1).click();
  await expect(page.getByTestId('detail-panel').getByRole('region', { name: 'Findings on this record' })).toContainText(explanation.slice(0, 30));

  // Suppress it with a reason: it leaves the open list but stays reachable as suppressed.
  await panel.getByRole('button', { name: 'Suppress similar…' }).first().click();
  const form = panel.getByRole('form', { name: /Suppress/ });
  await form.getByLabel('Reason (required)').fill('pen-test of the login form, ticket SEC-42');
  await form.getByRole('button', { name: 'Suppress' }).click();
  await panel.getByLabel('show suppressed').check();
  await expect(panel.getByText('· suppressed').first()).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByRole('region', { name: 'Suppressions' })).toContainText('pen-test of the login form');
  await expect(dialog.getByRole('region', { name: 'Anomaly rules' }).getByRole('group', { name: 'Brute-force logins' })).toBeVisible();
});
