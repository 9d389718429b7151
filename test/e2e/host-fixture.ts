import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { createAppCore, type AppCore } from '../../main/core/app/create-app';
import { startWebHost, type WebHost } from '../../main/web-host/server';

/**
 * Each test gets a fresh app core (own temp data folder, own embedded demo gateway) served by the
 * browser host from the built renderer (dist/renderer: `npm run build` runs before the e2e tests).
 */
export interface HostFixture {
  core: AppCore;
  host: WebHost;
  dataDir: string;
}

export const test = base.extend<{ app: HostFixture; demoEvents: number }>({
  demoEvents: [5_000, { option: true }],
  app: async ({ demoEvents }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-review-e2e-'));
    const core = await createAppCore({ dataDir, host: 'browser-host', demo: { events: demoEvents, days: 40 } });
    const host = await startWebHost({ dispatch: core.dispatch, bus: core.bus, staticDir: resolve('dist/renderer') });
    await use({ core, host, dataDir });
    await host.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };

/** Decodes a screenshot and counts its distinct colours: a blank or failed page has one or two. */
export async function distinctColours(page: Page): Promise<number> {
  const png = PNG.sync.read(await page.screenshot());
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 7) {
    colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
    if (colours.size > 64) break;
  }
  return colours.size;
}

/** Signs in with the demo gateway and creates the cache; returns once the first sync is done. */
export async function signInToDemo(page: Page, passphrase = 'correct horse battery'): Promise<void> {
  await page.getByRole('button', { name: 'Use the demo gateway' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create cache and sync' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('synced', { timeout: 90_000 });
  await expect(page.getByTestId('sync-status')).not.toContainText('never');
}
