import AxeBuilder from '@axe-core/playwright';
import { distinctColours, expect, signInToDemo, test } from './host-fixture';

const resultCount = async (page: import('@playwright/test').Page) => {
  const text = (await page.getByTestId('result-count').textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
};

test('sign in to the demo, sync, filter by text and chips, open a record, save a view, toggle UTC', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);

  const total = await resultCount(page);
  const stored = app.core.session.get().recordCount!;
  expect(total).toBe(stored);
  expect(total).toBeGreaterThan(4000);
  await expect(page.getByRole('grid', { name: 'Audit records' })).toBeVisible();
  await page.screenshot({ path: 'test-results/workspace.png' });
  expect(await distinctColours(page)).toBeGreaterThan(12);

  // Filter by text: the count drops and every visible row matches.
  await page.getByTestId('filter-input').fill('event:Delete*');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page)).toBeLessThan(total);
  const deletes = await resultCount(page);
  expect(deletes).toBeGreaterThan(0);
  const chip = page.getByRole('list', { name: 'Active filters' }).getByText('event: Delete*');
  await expect(chip).toBeVisible();

  // A facet click adds a chip and narrows further; the text box follows.
  const operatorFacet = page.getByRole('complementary', { name: 'Facets' }).locator('section', { hasText: 'Operators' }).getByRole('button').first();
  await operatorFacet.click();
  await expect.poll(() => resultCount(page)).toBeLessThan(deletes + 1);
  await expect(page.getByTestId('filter-input')).toHaveValue(/operator:/);

  // Removing the chip widens again.
  await page.getByRole('button', { name: /Remove filter operator/ }).click();
  await expect.poll(() => resultCount(page)).toBe(deletes);

  // A bad filter explains itself and changes nothing.
  await page.getByTestId('filter-input').fill('colour:red');
  await page.getByTestId('filter-input').press('Enter');
  await expect(page.getByRole('alert')).toContainText('unknown key "colour"');
  expect(await resultCount(page)).toBe(deletes);

  // Open a record: the detail panel shows its fields and body as text.
  await page.getByRole('row').nth(1).click();
  const detail = page.getByTestId('detail-panel');
  await expect(detail).toBeVisible();
  await expect(detail.getByText('SHA-256')).toBeVisible();
  await expect(detail.locator('h2')).toContainText('Delete');

  // Save the view, clear the filter, reapply the view.
  await page.getByTestId('views-menu').locator('summary').click();
  await page.getByPlaceholder('e.g. Q4 privilege changes').fill('All deletions');
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByRole('list', { name: 'Saved views' }).getByRole('button', { name: 'All deletions', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect.poll(() => resultCount(page)).toBe(total);
  await page.getByRole('list', { name: 'Saved views' }).getByRole('button', { name: 'All deletions', exact: true }).click();
  await expect.poll(() => resultCount(page)).toBe(deletes);

  // UTC toggle changes how times are shown.
  const firstTimeCell = page.getByRole('row').nth(1).getByRole('gridcell').first();
  await page.getByRole('button', { name: /Local time|UTC/ }).first().click();
  await expect(page.getByRole('button', { name: 'UTC', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(firstTimeCell).toHaveText(/Z$/);
});

test('keyboard: j/k move the selection, / focuses the filter, ? opens help, Esc closes', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);
  await expect(page.getByRole('row').nth(1).getByRole('gridcell').nth(1)).not.toHaveText('');
  // The table renders only what fits on screen, however many records there are.
  expect(await page.getByRole('row').count()).toBeLessThan(100);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('j');
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  const first = await page.getByTestId('detail-panel').getByText(/^[0-9A-Z]{26}$/).first().textContent();
  await page.keyboard.press('j');
  await expect(page.getByTestId('detail-panel').getByText(/^[0-9A-Z]{26}$/).first()).not.toHaveText(first!);
  await page.keyboard.press('k');
  await expect(page.getByTestId('detail-panel').getByText(/^[0-9A-Z]{26}$/).first()).toHaveText(first!);
  // G jumps to the very last record: its row is rendered and selected.
  const total = Number(((await page.getByTestId('result-count').textContent()) ?? '').replace(/[^0-9]/g, ''));
  await page.keyboard.press('G');
  const lastRow = page.locator(`[role="row"][aria-rowindex="${total + 1}"]`);
  await expect(lastRow).toBeVisible();
  await expect(lastRow).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('g');
  await expect(page.locator('[role="row"][aria-rowindex="2"]')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(page.getByTestId('filter-input')).toBeFocused();
});

test('the main screens have no serious or critical accessibility issues', async ({ page, app }) => {
  await page.goto(app.host.url);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  const signIn = await new AxeBuilder({ page }).analyze();
  expect(signIn.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await signInToDemo(page);
  await page.getByRole('row').nth(1).click();
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  // Bodies scroll inside their box when long (which record is first varies): keyboard users must
  // be able to reach them, whatever this record's body length is.
  for (const body of await page.getByTestId('detail-panel').locator('pre.json').all()) await expect(body).toHaveAttribute('tabindex', '0');
  // Scan the settled screen: side panels load a moment after the rows.
  await expect(page.getByRole('complementary', { name: 'Facets' })).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('figure.timeline')).toBeVisible();
  for (const theme of ['dark', 'light']) {
    if (theme === 'light') await page.getByRole('button', { name: 'Switch theme' }).click();
    const workspace = await new AxeBuilder({ page }).analyze();
    expect(workspace.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${theme} ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  }
});

test.describe('during the first sync', () => {
  // Big enough that the first sync takes several seconds on a 2-core machine.
  test.use({ demoEvents: 120_000 });

  test('records show up while the sync is still running, and the count is complete when it ends', async ({ page, app }) => {
    await page.goto(app.host.url);
    await page.getByRole('button', { name: 'Use the demo gateway' }).click();
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Repeat passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create cache and sync' }).click();
    // Rows and a count above zero, then the status bar read after them still says it is syncing.
    await expect
      .poll(
        async () => {
          const count = Number(((await page.getByTestId('result-count').textContent({ timeout: 2_000 })) ?? '').replace(/[^0-9]/g, ''));
          const cells = await page.getByRole('grid', { name: 'Audit records' }).getByRole('gridcell').count();
          const status = (await page.getByTestId('sync-status').textContent({ timeout: 2_000 })) ?? '';
          return count > 0 && cells > 0 && status.includes('Syncing');
        },
        { timeout: 60_000, intervals: [250] },
      )
      .toBe(true);
    const during = await resultCount(page);
    await expect(page.getByTestId('sync-status')).toContainText('synced', { timeout: 120_000 });
    await expect.poll(() => resultCount(page)).toBe(app.core.session.get().recordCount!);
    expect(during).toBeLessThan(app.core.session.get().recordCount!);
  });
});
