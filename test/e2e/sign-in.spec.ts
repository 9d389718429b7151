import { distinctColours, expect, test } from './host-fixture';

test('the browser host serves the sign-in screen', async ({ page, app }) => {
  await page.goto(app.host.url);
  const form = page.getByRole('form', { name: 'Sign in' });
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Gateway URL')).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Username' })).toBeVisible();
  await expect(form.getByLabel('Password', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use the demo gateway' })).toBeVisible();
  // The secret left the address bar once the page took it.
  expect(new URL(page.url()).hash).toBe('');
  await page.screenshot({ path: 'test-results/sign-in.png' });
  expect(await distinctColours(page)).toBeGreaterThan(8);
});

test('switching to token sign-in shows the token field', async ({ page, app }) => {
  await page.goto(app.host.url);
  await page.getByRole('radio', { name: 'Access token' }).check();
  await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('textbox', { name: 'Access token' })).toBeVisible();
});

test('a wrong password says so and keeps the form', async ({ page, app }) => {
  const demo = await app.core.session.useDemoGateway().then(() => app.core.demo()!);
  await app.core.session.signOut();
  await page.goto(app.host.url);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Gateway URL').fill(demo.url);
  await form.getByRole('textbox', { name: 'Username' }).fill('auditor');
  await form.getByLabel('Password', { exact: true }).fill('not-the-password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Username' })).toHaveValue('auditor');
});

test('a page without the host secret cannot call the contract', async ({ page, app }) => {
  await page.goto(app.host.origin + '/');
  const status = await page.evaluate(async () => {
    const response = await fetch('/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'app.info', input: {} }) });
    return response.status;
  });
  expect(status).toBe(401);
});
