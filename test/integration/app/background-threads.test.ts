import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../main/core/app/create-app';
import { verifyChain } from '../../../main/core/cache/index';
import { listCustody } from '../../../main/core/custody';
import { makeTempDir } from '../../helpers/temp-cache';

/** An app core on its own data folder and a 40k-record embedded demo gateway, for the describe calling it. */
function appOnDemo(): { core: AppCore } {
  const temp = makeTempDir();
  const app = {} as { core: AppCore };
  beforeAll(async () => {
    app.core = await createAppCore({ dataDir: temp.dir, host: 'in-process', demo: { events: 40_000, days: 35 } });
  });
  afterAll(async () => {
    await app.core.close();
    temp.remove();
  });
  return app;
}

/** Signs the app in to its embedded demo gateway; `entries(type)` counts the auditor's entries of that type in the gateway's audit log. */
async function signInToDemo(core: AppCore) {
  await core.api.call('session.useDemoGateway', {});
  const gateway = core.demo()!.gateway;
  const entries = (eventType: string) => gateway.store.all().filter((e) => e.event_type === eventType && e.operator?.username === 'auditor').length;
  return { gateway, entries };
}

/**
 * The app's sync and anomaly scans run on worker threads with their own write connections, so the
 * app keeps answering and writing (annotations, custody) meanwhile: two writers on one cache.
 */
describe("the app's sync and anomaly scans on their own threads", () => {
  const app = appOnDemo();

  it('stores every record while the app queries and saves annotations, signed in once, and records the sync in custody', async () => {
    const { core } = app;
    const { gateway, entries } = await signInToDemo(core);
    const logins = () => entries('Login');
    const loginsAfterSignIn = logins();
    await core.api.call('session.createCache', { passphrase: 'correct horse battery' });

    // Wait for the first stored rows, then write while the sync keeps storing.
    let first: string | undefined;
    while (!first) {
      const page = await core.api.call('query.page', { filter: {}, sort: { column: 'event_time', direction: 'asc' }, offset: 0, limit: 1 });
      first = page.rows[0]?.id;
      if (!first) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(core.sync.isRunning()).toBe(true);
    const comments: string[] = [];
    let savedWhileSyncing = 0;
    while (core.sync.isRunning() && comments.length < 30) {
      const text = `checked while syncing #${comments.length + 1}`;
      await core.api.call('annotations.comment', { target: { kind: 'record', id: first }, text });
      comments.push(text);
      if (core.sync.isRunning()) savedWhileSyncing++;
    }
    // Both writers really met: comments were committed while the sync worker was still storing.
    expect(savedWhileSyncing).toBeGreaterThan(0);

    await core.sync.whenIdle();
    expect(await core.api.call('sync.status', {})).toMatchObject({ phase: 'done' });
    expect((await core.api.call('query.count', { filter: {} })).count).toBeGreaterThanOrEqual(40_000);
    const saved = await core.api.call('annotations.forTarget', { target: { kind: 'record', id: first } });
    expect(saved.current.comments.map((c) => c.value)).toEqual(expect.arrayContaining(comments));

    const db = core.session.cache()!.db;
    const chain = verifyChain(db);
    expect(chain.firstBroken).toBeUndefined();
    expect(chain.records).toBeGreaterThanOrEqual(40_000);
    const syncs = listCustody(db).filter((e) => e.action === 'sync');
    expect(syncs).toHaveLength(1);
    expect(syncs[0]).toMatchObject({ actor: 'auditor', details: { outcome: 'complete', gateway_url: gateway.url } });
    // The worker and its page reader used the app's sign-in session.
    expect(logins()).toBe(loginsAfterSignIn);
  });

  it('scans for anomalies after the sync, on Rescan and when the rules change; scans asked for together both complete', async () => {
    const { core } = app;
    const bruteForce = async () => (await core.api.call('findings.list', { rule: 'brute_force' })).total;
    // The scan after the sync ran before the sync counted as finished.
    const afterSync = await bruteForce();
    expect(afterSync).toBeGreaterThan(0);

    const [first, second] = await Promise.all([core.api.call('findings.rescan', { full: true }), core.api.call('findings.rescan', { full: true })]);
    expect(first).toMatchObject({ mode: 'full' });
    expect(second).toMatchObject({ mode: 'full', written: first.written });
    expect(await bruteForce()).toBe(afterSync);

    const { config } = await core.api.call('anomalies.config', {});
    const stricter = { ...config, rules: { ...(config.rules as Record<string, unknown>), brute_force: { failures: 10_000, windowMinutes: 10 } } };
    await core.api.call('anomalies.setConfig', { config: stricter });
    expect(await bruteForce()).toBe(0);
    await core.api.call('anomalies.setConfig', { config });
    expect(await bruteForce()).toBe(afterSync);
  });
});

describe('locking the cache during a sync on its thread', () => {
  const app = appOnDemo();

  it('stops the sync: no record is stored after the lock, the run is in custody as cancelled, and the next sync completes', async () => {
    const { core } = app;
    await core.api.call('session.useDemoGateway', {});
    await core.api.call('session.createCache', { passphrase: 'correct horse battery' });
    while ((await core.api.call('query.count', { filter: {} })).count === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(core.sync.isRunning()).toBe(true);
    await core.api.call('session.lock', {});
    await core.sync.whenIdle();
    expect(await core.api.call('sync.status', {})).toMatchObject({ phase: 'cancelled' });

    await core.api.call('session.unlock', { passphrase: 'correct horse battery' });
    const db = core.session.cache()!.db;
    const stored = () => db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    const atUnlock = stored();
    expect(atUnlock).toBeLessThan(40_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stored()).toBe(atUnlock);
    expect(listCustody(db).filter((e) => e.action === 'sync').map((e) => e.details.outcome)).toEqual(['cancelled']);

    await core.sync.start();
    expect(await core.api.call('sync.status', {})).toMatchObject({ phase: 'done' });
    expect(stored()).toBeGreaterThanOrEqual(40_000);
    expect(verifyChain(db).firstBroken).toBeUndefined();
  });
});

describe('a sign-in session that expires during the sync on its thread', () => {
  const app = appOnDemo();

  it("is renewed once, by the app's own client: one new Login, the sync completes, and the app goes on with the new session", async () => {
    const { core } = app;
    const { gateway, entries: countOf } = await signInToDemo(core);
    const sessionOfApp = () => {
      const shared = core.session.current()!.client!.shareConnection().credentials;
      return shared.kind === 'password' ? shared.session! : '';
    };
    const loginsAfterSignIn = countOf('Login');
    const signedInWith = sessionOfApp();
    await core.api.call('session.createCache', { passphrase: 'correct horse battery' });
    while ((await core.api.call('query.count', { filter: {} })).count === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(core.sync.isRunning()).toBe(true);
    // The gateway forgets the session while the threads are reading pages with it.
    gateway.accounts.endSession(signedInWith.slice(signedInWith.indexOf('=') + 1));

    await core.sync.whenIdle();
    expect(await core.api.call('sync.status', {})).toMatchObject({ phase: 'done' });
    expect((await core.api.call('query.count', { filter: {} })).count).toBeGreaterThanOrEqual(40_000);
    expect(countOf('Login')).toBe(loginsAfterSignIn + 1);
    expect(sessionOfApp()).not.toBe(signedInWith);
    // The app's next sync uses the renewed session: no further sign-in, and nothing was signed out.
    await core.sync.start();
    expect(await core.api.call('sync.status', {})).toMatchObject({ phase: 'done' });
    expect(countOf('Login')).toBe(loginsAfterSignIn + 1);
    expect(countOf('Logout')).toBe(0);
  });
});
