import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../main/core/app/create-app';
import { makeTempDir } from '../../helpers/temp-cache';

/** The gateway decides who may read; the app keeps honouring it, also offline afterwards. */
describe('revocation', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let core: AppCore;

  beforeEach(async () => {
    temp = makeTempDir();
    core = await createAppCore({ dataDir: temp.dir, host: 'in-process', demo: { events: 1500, days: 35 } });
    await core.api.call('session.useDemoGateway', {});
    await core.api.call('session.createCache', { passphrase: 'correct horse battery' });
    await core.sync.whenIdle();
  });
  afterEach(async () => {
    await core.close();
    temp.remove();
  });

  const reopenOffline = async () => {
    await core.api.call('session.signOut', {});
    const [cache] = await core.api.call('session.knownCaches', {});
    await core.api.call('session.openKnownCache', { id: cache!.id });
    return core.api.call('session.unlock', { passphrase: 'correct horse battery' });
  };

  it('403 (permission revoked) locks the cache with the reason and date, also when reopened offline', async () => {
    core.demo()!.gateway.revokePermission('auditor', 'iam:GetAudit');
    await core.api.call('sync.start', {});
    await core.sync.whenIdle();
    const session = await core.api.call('session.get', {});
    expect(session.state).toBe('revoked');
    expect(session.revokedReason).toMatch(/revoked/i);
    await expect(core.api.call('query.count', { filter: {} })).rejects.toMatchObject({ code: 'locked' });
    const offline = await reopenOffline();
    expect(offline.state).toBe('revoked');
    expect(offline.revokedReason).toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('export is refused offline when the account lost iam:ExportAudits at the last contact', async () => {
    core.demo()!.gateway.revokePermission('auditor', 'iam:ExportAudits');
    await core.api.call('sync.start', {});
    await core.sync.whenIdle();
    const offline = await reopenOffline();
    expect(offline).toMatchObject({ state: 'ready', online: false, permissions: { getAudit: true, exportAudits: false } });
    await expect(core.api.call('export.start', { filter: {}, formats: ['csv'], outPath: `${temp.dir}/x.zip` })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('401 for a deleted user locks the cache too', async () => {
    core.demo()!.gateway.deleteUser('auditor');
    await core.api.call('sync.start', {});
    await core.sync.whenIdle();
    expect((await core.api.call('session.get', {})).state).toBe('revoked');
    expect((await reopenOffline()).state).toBe('revoked');
  });
});
