import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../main/core/app/create-app';
import { makeTempDir } from '../../helpers/temp-cache';

/** The app core through the in-process transport: the same calls the UI makes. */
describe('the app session', () => {
  const temp = makeTempDir();
  let core: AppCore;
  let clock = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    core = await createAppCore({ dataDir: temp.dir, host: 'in-process', demo: { events: 3000, days: 35 }, now: () => clock });
  });
  afterAll(async () => {
    await core.close();
    temp.remove();
  });

  it('signs in to the demo, creates the cache, syncs it and scans for findings', async () => {
    const signedIn = await core.api.call('session.useDemoGateway', {});
    expect(signedIn).toMatchObject({ state: 'needs-passphrase', online: true, isDemo: true, user: { username: 'auditor' } });
    expect(signedIn.permissions).toEqual({ getAudit: true, exportAudits: true });
    await expect(core.api.call('session.createCache', { passphrase: 'short' })).rejects.toThrow(/8/);
    const ready = await core.api.call('session.createCache', { passphrase: 'correct horse battery' });
    expect(ready.state).toBe('ready');
    await core.sync.whenIdle();
    const count = (await core.api.call('query.count', { filter: {} })).count;
    expect(count).toBeGreaterThanOrEqual(3000);
    expect((await core.api.call('sync.status', {})).phase).toBe('done');
    expect((await core.api.call('findings.summary', {})).length).toBeGreaterThan(0);
  });

  it('locks after the idle period: queries fail until the passphrase unlocks it again', async () => {
    await core.api.call('session.activity', {});
    clock += 16 * 60;
    core.autoLock.check();
    expect((await core.api.call('session.get', {})).state).toBe('locked');
    await expect(core.api.call('query.count', { filter: {} })).rejects.toMatchObject({ code: 'locked' });
    await expect(core.api.call('session.unlock', { passphrase: 'wrong passphrase' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    // Right after a wrong passphrase, even the right one must wait (the delay grows with each miss).
    await expect(core.api.call('session.unlock', { passphrase: 'correct horse battery' })).rejects.toMatchObject({ code: 'throttled' });
    clock += 2;
    expect((await core.api.call('session.unlock', { passphrase: 'correct horse battery' })).state).toBe('ready');
    expect((await core.api.call('query.count', { filter: {} })).count).toBeGreaterThan(0);
  });

  it('offers the cache offline after sign-out, and only with its passphrase', async () => {
    await core.api.call('session.signOut', {});
    const known = await core.api.call('session.knownCaches', {});
    expect(known).toHaveLength(1);
    const offline = await core.api.call('session.openKnownCache', { id: known[0]!.id });
    expect(offline).toMatchObject({ state: 'locked', online: false });
    const ready = await core.api.call('session.unlock', { passphrase: 'correct horse battery' });
    expect(ready).toMatchObject({ state: 'ready', online: false, permissions: { exportAudits: true } });
    await expect(core.api.call('sync.start', {})).rejects.toMatchObject({ code: 'offline' });
    expect((await core.api.call('session.get', {})).leaseDaysLeft).toBeGreaterThan(29);
  });

  it('refuses to open offline once the lease has run out', async () => {
    await core.api.call('session.lock', {});
    clock += 31 * 86_400;
    await expect(core.api.call('session.unlock', { passphrase: 'correct horse battery' })).rejects.toMatchObject({ code: 'lease_expired' });
    expect((await core.api.call('session.get', {})).state).toBe('locked');
    clock -= 31 * 86_400;
    await core.api.call('session.unlock', { passphrase: 'correct horse battery' });
  });

  it('records sign-in, sync and unlock in the chain of custody', () => {
    const db = core.session.readerDb()!;
    const actions = db.prepare('SELECT action FROM custody ORDER BY seq').pluck().all();
    expect(actions).toEqual(expect.arrayContaining(['sign-in', 'sync', 'unlock']));
  });
});
