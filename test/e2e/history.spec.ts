import { expect, signInToDemo, test } from './host-fixture';

test('open a route’s history and see the diff; pick a time and see the changes around it', async ({ page, app }) => {
  await page.goto(app.host.url);
  await signInToDemo(page);

  // A route whose history holds a change that altered its body (found through the contract).
  const db = app.core.session.readerDb()!;
  const candidates = db.prepare("SELECT DISTINCT resource_id FROM records WHERE event_type = 'UpdateRoute' AND failed = 0 AND source = 'dashboard' LIMIT 40").pluck().all() as string[];
  let chosen: { resourceId: string; changeTime: number; id: string; event_time: number } | null = null;
  for (const resourceId of candidates) {
    const history = await app.core.api.call('history.resource', { resourceId, limit: 500 });
    const change = [...history.changes].reverse().find((c) => c.diff !== null && c.diff.changes.length > 0);
    if (change) {
      chosen = { resourceId, changeTime: change.event_time, id: change.id, event_time: change.event_time };
      break;
    }
  }
  expect(chosen).not.toBeNull();
  const update = { resource_id: chosen!.resourceId, event_time: chosen!.event_time };
  await page.getByTestId('filter-input').fill(`resource:${update.resource_id}`);
  await page.getByTestId('filter-input').press('Enter');
  // Click a row only once the table shows this resource's records (until then it shows the last ones).
  const matches = db.prepare('SELECT count(*) FROM records WHERE resource_id = ?').pluck().get(update.resource_id) as number;
  await expect(page.getByTestId('result-count')).toHaveText(`${matches.toLocaleString('en-US')} records`);
  const newest = db.prepare('SELECT resource_name, resource_id FROM records WHERE resource_id = ? ORDER BY event_time DESC, seq DESC LIMIT 1').get(update.resource_id) as { resource_name: string; resource_id: string };
  await expect(page.getByRole('row').nth(1)).toContainText(newest.resource_name || newest.resource_id);
  await page.getByRole('row').nth(1).click();
  await page.getByTestId('detail-panel').getByRole('button', { name: 'History of this resource' }).click();

  const history = page.getByTestId('resource-history');
  await expect(history).toContainText(update.resource_id);
  // Open the change that altered the body: its diff lists the changed paths, values as text.
  const timeText = await page.evaluate((t) => {
    const d = new Date(t * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }, update.event_time);
  const head = history.getByRole('button', { name: new RegExp(timeText) }).first();
  if ((await head.getAttribute('aria-expanded')) !== 'true') await head.click();
  await expect(history.getByRole('list', { name: 'Changes' }).first()).toBeVisible();
  await expect(history.getByRole('list', { name: 'Changes' }).first().getByRole('listitem').first()).toContainText(/added|removed|changed/);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  // Changes around the selected record's moment (the newest record of the resource, which need
  // not be the update above: compare with the contract at that record's own time).
  const selectedId = (await page.getByTestId('detail-panel').locator('dt:text-is("Record id") + dd').textContent())!;
  const selectedTime = db.prepare('SELECT event_time FROM records WHERE id = ?').pluck().get(selectedId) as number;
  expect(selectedTime).toEqual(expect.any(Number));
  await page.getByTestId('detail-panel').getByRole('button', { name: 'Changes around this time' }).click();
  const around = page.getByTestId('changes-around');
  await expect(around).toContainText('configuration changes');
  await expect(around.getByRole('region', { name: 'By resource' })).toContainText(/./);
  const apiCount = (await app.core.api.call('history.around', { time: selectedTime, minutes: 30 })).total;
  await expect(around).toContainText(`${apiCount} configuration changes`);
  await around.getByRole('button', { name: 'Show in table' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('around');
});
