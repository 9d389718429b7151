import { insertEntries } from '../../main/core/cache/insert';
import { parseAuditEntry } from '../../main/core/records/entry';
import { expect, signInToDemo, test } from './host-fixture';

const resultCount = async (page: import('@playwright/test').Page) => Number(((await page.getByTestId('result-count').textContent()) ?? '').replace(/[^0-9]/g, ''));

test('annotate a record, see it in the table and history, filter by tag, and watch a campaign move', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);

  // Scope: deletions. Create a campaign over it first (0% reviewed).
  const total = await resultCount(page);
  await page.getByTestId('filter-input').fill('event:Delete*');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page)).toBeLessThan(total);
  const inScope = await resultCount(page);
  await page.getByTestId('campaigns-menu').locator('summary').click();
  const campaignForm = page.getByRole('form', { name: 'New campaign' });
  await campaignForm.getByLabel('Name').fill('Deletion review');
  await campaignForm.getByLabel('From').fill('2020-01-01');
  await campaignForm.getByRole('button', { name: 'Create campaign' }).click();
  const coverage = page.getByTestId('campaign-coverage').first();
  await expect(coverage).toContainText(`0% of ${inScope.toLocaleString('en-US')} records reviewed`);
  await page.getByTestId('campaigns-menu').locator('summary').click();

  // Annotate the first record: status, tag, comment with markup (shown as text).
  await page.getByRole('row').nth(1).click();
  const annotations = page.getByTestId('annotations');
  await annotations.getByLabel('Status').selectOption('reviewed');
  await annotations.getByLabel('New tag').fill('q4-sample');
  await annotations.getByRole('button', { name: 'Tag' }).click();
  await expect(annotations.getByRole('list', { name: 'Tags' })).toContainText('q4-sample');
  const markup = '<b>not bold</b> =HYPERLINK("x")';
  await annotations.getByLabel('New comment').fill(markup);
  await annotations.getByRole('button', { name: 'Comment' }).click();
  await expect(annotations.getByRole('list', { name: 'Comments' }).getByText(markup, { exact: true })).toBeVisible();
  expect(await page.locator('.comments b').count()).toBe(0);

  // History lists every version.
  await annotations.getByRole('button', { name: /Show history/ }).click();
  await expect(annotations.getByRole('list', { name: 'Annotation history' }).getByRole('listitem')).toHaveCount(3);

  // The table marks the row and shows its review status.
  await expect(page.getByRole('row').nth(1).getByLabel('annotated')).toBeVisible();

  // Filter by the tag: exactly that record.
  await page.getByTestId('filter-input').fill('tag:q4-sample');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page)).toBe(1);

  // Coverage moved: one record of the scope now has a status.
  await page.getByTestId('campaigns-menu').locator('summary').click();
  const expected = `${Math.floor((1000 / inScope)) / 10}% of ${inScope.toLocaleString('en-US')} records reviewed`;
  await expect(coverage).toContainText(expected);
  await expect(page.getByTestId('campaigns-menu')).toContainText('auditor 1');
});

test('a record holding markup and script renders as text and runs nothing', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);
  const hostile = parseAuditEntry({
    id: 'HOSTILE0000000000000000001',
    event_time: Math.floor(Date.now() / 1000) + 3600,
    operator: { id: 'u-x', username: '<img src=x onerror="window.__pwned=1">', email: 'x@example.com' },
    event_type: 'UpdateRoute',
    resource_id: '<script>window.__pwned=2</script>',
    resource_name: 'javascript:window.__pwned=3',
    ip_address: '203.0.113.66',
    http_request: { method: 'PUT', uri: '/api/routes/<svg onload=alert(1)>', body: { name: '<iframe src="javascript:window.__pwned=4">' } },
    http_response: { status_code: 200 },
  });
  if (!hostile.ok) throw new Error(hostile.error);
  insertEntries(app.core.session.cache()!, [hostile.entry], null);
  await page.getByTestId('filter-input').fill('operator:u-x');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page)).toBe(1);
  const row = page.getByRole('row').nth(1);
  await expect(row).toContainText('<img src=x onerror="window.__pwned=1">');
  await row.click();
  const detail = page.getByTestId('detail-panel');
  await expect(detail).toContainText('<script>window.__pwned=2</script>');
  await expect(detail).toContainText('<iframe src=\\"javascript:window.__pwned=4\\">');
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('main img, aside img, main iframe, aside iframe, main svg script').count()).toBe(0);
});
