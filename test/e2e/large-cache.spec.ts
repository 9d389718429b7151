import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createAppCore, type AppCore } from '../../main/core/app/create-app';
import { startWebHost, type WebHost } from '../../main/web-host/server';
import { distinctColours } from './host-fixture';
import { copyPreparedFolder, ensurePreparedFolder, LARGE_CACHE_PASSPHRASE, LARGE_EVENTS } from './large/large-cache';

/**
 * The review workspace on a cache of a million records (E2E_LARGE_EVENTS), opened offline the way
 * an auditor on a plane would: unlock, filter by text and chips, full-text search, jump to the last
 * row, open a record, save and reapply a view, switch to UTC — with a non-blank screenshot at
 * each step. The prepared cache is built once (minutes) and reused; see large/large-cache.ts.
 */
test.describe.configure({ timeout: 15 * 60_000 });

let dataDir: string;
let core: AppCore;
let host: WebHost;

test.beforeAll(async () => {
  test.setTimeout(30 * 60_000);
  ensurePreparedFolder();
  dataDir = mkdtempSync(join(tmpdir(), 'audit-review-e2e-large-'));
  copyPreparedFolder(dataDir);
  core = await createAppCore({ dataDir, host: 'browser-host', demo: { events: 500, days: 30 } });
  host = await startWebHost({ dispatch: core.dispatch, bus: core.bus, staticDir: resolve('dist/renderer') });
});

test.afterAll(async () => {
  await host?.close();
  await core?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const resultCount = async (page: Page) => Number(((await page.getByTestId('result-count').textContent()) ?? '').replace(/[^0-9]/g, ''));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/large-${name}.png` });
  expect(await distinctColours(page), `screenshot ${name} is not blank`).toBeGreaterThan(12);
}

test(`a ${LARGE_EVENTS.toLocaleString('en-US')}-record cache: open offline, filter, search, jump to the end, open a record, save a view, UTC`, async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('region', { name: 'Open a synced cache offline' }).getByRole('button').first().click();
  await page.getByLabel('Passphrase', { exact: true }).fill(LARGE_CACHE_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();

  const grid = page.getByRole('grid', { name: 'Audit records' });
  await expect(grid).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('row').nth(1).getByRole('gridcell').nth(1)).not.toHaveText('', { timeout: 60_000 });
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(LARGE_EVENTS);
  const total = await resultCount(page);
  // Virtualised: a handful of rows in the DOM however many records there are.
  expect(await page.getByRole('row').count()).toBeLessThan(100);
  await shot(page, 'opened');

  // Filter by text: the count drops.
  await page.getByTestId('filter-input').fill('event:Delete*');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBeLessThan(total);
  const deletes = await resultCount(page);
  expect(deletes).toBeGreaterThan(0);
  await expect(page.getByRole('list', { name: 'Active filters' }).getByText('event: Delete*')).toBeVisible();

  // A facet click adds an operator chip and narrows further; removing it widens again.
  const operatorFacet = page.getByRole('complementary', { name: 'Facets' }).locator('section', { hasText: 'Operators' }).getByRole('button').first();
  await expect(operatorFacet).toBeVisible({ timeout: 60_000 });
  await operatorFacet.click();
  await expect(page.getByTestId('filter-input')).toHaveValue(/operator:/);
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBeLessThan(deletes);
  await shot(page, 'filtered');
  await page.getByRole('button', { name: /Remove filter operator/ }).click();
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBe(deletes);

  // Full-text search over the million: some but not all records match.
  await page.getByTestId('filter-input').fill('payments');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).not.toBe(deletes);
  const matches = await resultCount(page);
  expect(matches).toBeGreaterThan(0);
  expect(matches).toBeLessThan(total);
  await expect(page.getByRole('row').nth(1).getByRole('gridcell').nth(1)).not.toHaveText('');
  await shot(page, 'search');

  // Back to everything, then jump to the very last of the million rows.
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBe(total);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('G');
  const lastRow = page.locator(`[role="row"][aria-rowindex="${total + 1}"]`);
  await expect(lastRow).toBeVisible({ timeout: 60_000 });
  await expect(lastRow).toHaveAttribute('aria-selected', 'true');
  await expect(lastRow.getByRole('gridcell').nth(1)).not.toHaveText('');
  await shot(page, 'last-row');

  // Open a record: the detail panel shows its fields and hash.
  const detail = page.getByTestId('detail-panel');
  await expect(detail).toBeVisible();
  await expect(detail.getByText('SHA-256')).toBeVisible();
  await page.keyboard.press('g');
  await page.getByRole('row').nth(2).click();
  await expect(detail.getByText('SHA-256')).toBeVisible();
  await shot(page, 'detail');

  // Save a view, clear, reapply it.
  await page.getByTestId('filter-input').fill('event:Delete*');
  await page.getByTestId('filter-input').press('Enter');
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBe(deletes);
  await page.getByTestId('views-menu').locator('summary').click();
  await page.getByPlaceholder('e.g. Q4 privilege changes').fill('Deletions at scale');
  await page.getByRole('button', { name: 'Save view' }).click();
  const savedView = page.getByRole('list', { name: 'Saved views' }).getByRole('button', { name: 'Deletions at scale', exact: true });
  await expect(savedView).toBeVisible();
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBe(total);
  await savedView.click();
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBe(deletes);

  // UTC toggle changes how times are shown.
  await page.getByRole('button', { name: /Local time|UTC/ }).first().click();
  await expect(page.getByRole('button', { name: 'UTC', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText(/Z$/);
  await shot(page, 'utc');
});
