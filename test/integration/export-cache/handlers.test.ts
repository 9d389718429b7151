import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMethods, exportProgressSchema, type ExportProgressPayload } from '../../../preload/contract/exporting';
import { createExportHandlers, type ExportSession } from '../../../main/core/app/export-handlers';
import { openReader } from '../../../main/core/cache/cache';
import { listCustody } from '../../../main/core/custody';
import { createTestCache } from '../../helpers/temp-cache';
import { sampleEntries } from './seed';

let test: ReturnType<typeof createTestCache>;
let session: ExportSession | null;
let locked = false;
const events: ExportProgressPayload[] = [];

beforeAll(() => {
  test = createTestCache(sampleEntries());
});
afterAll(() => test.remove());

const handlers = () =>
  createExportHandlers({
    openReader: () => (locked ? null : openReader(test.dir, test.cache.key)),
    writer: () => (locked ? null : test.cache.db),
    session: () => session,
    emit: (p) => events.push(exportProgressSchema.parse(p)),
    now: () => 1_764_300_000,
  });

const startInput = (outPath: string) => exportMethods['export.start'].input.parse({ filter: { operators: ['u-1'] }, formats: ['json'], outPath });

describe('export handlers', () => {
  it('export.start runs in the background, emits progress and ends with a verified package', async () => {
    session = { user_id: 'u-auditor', username: 'auditor', gateway_url: 'http://gateway.test', canExport: true };
    events.length = 0;
    const h = handlers();
    const outPath = join(test.dir, '..', 'ui.zip');
    const { jobId } = h['export.start'](startInput(outPath));
    expect(() => h['export.start'](startInput(join(test.dir, '..', 'second.zip')))).toThrow(expect.objectContaining({ code: 'busy' }));
    await h.whenIdle();
    const status = exportMethods['export.status'].output.parse(h['export.status']());
    expect(status).toMatchObject({ jobId, phase: 'done', path: outPath, error: null, result: { recordCount: 20 } });
    expect(events[0]).toMatchObject({ jobId, phase: 'preparing' });
    expect(events.at(-1)).toMatchObject({ phase: 'done' });
    expect(existsSync(outPath)).toBe(true);

    const report = exportMethods['verify.package'].output.parse(await h['verify.package']({ path: outPath, requireTrusted: true }));
    expect(report.ok).toBe(true);
    expect(report.manifest).toMatchObject({ record_count: 20 });
    expect(listCustody(test.cache.db).at(-1)).toMatchObject({ action: 'verify', actor: 'auditor', details: { ok: true } });
  });

  it('cancel stops the export, leaves no file and reports "cancelled"', async () => {
    const h = handlers();
    const outPath = join(test.dir, '..', 'ui-cancel.zip');
    const { jobId } = h['export.start']({ ...startInput(outPath), formats: ['json', 'xlsx'] });
    h['export.cancel']({ jobId });
    await h.whenIdle();
    expect(h['export.status']()).toMatchObject({ phase: 'cancelled', error: expect.stringMatching(/cancelled/) });
    expect(existsSync(outPath)).toBe(false);
  });

  it('refuses without export permission, when locked, and for bad paths (checked before anything runs)', () => {
    const h = handlers();
    session = { user_id: 'u-x', username: 'x', gateway_url: 'http://gateway.test', canExport: false };
    expect(() => h['export.start'](startInput(join(test.dir, '..', 'no.zip')))).toThrow(expect.objectContaining({ code: 'forbidden' }));
    session = { user_id: 'u-x', username: 'x', gateway_url: 'http://gateway.test', canExport: true };
    expect(() => h['export.start'](startInput('relative.zip'))).toThrow(expect.objectContaining({ code: 'bad_path' }));
    expect(() => h['export.start'](startInput(join(test.dir, 'missing', 'x.zip')))).toThrow(expect.objectContaining({ code: 'bad_path' }));
    expect(() => h['export.start'](startInput('/etc/passwd'))).toThrow(expect.objectContaining({ code: 'bad_path' }));
    locked = true;
    try {
      expect(() => h['export.start'](startInput(join(test.dir, '..', 'no.zip')))).toThrow(expect.objectContaining({ code: 'locked' }));
      expect(() => h['keys.info']()).toThrow(expect.objectContaining({ code: 'locked' }));
    } finally {
      locked = false;
    }
    expect(h['export.status']().phase).toBe('idle');
  });

  it('verify.package rejects relative or missing paths', async () => {
    const h = handlers();
    await expect(h['verify.package']({ path: 'x.zip' })).rejects.toMatchObject({ code: 'bad_path' });
    await expect(h['verify.package']({ path: join(test.dir, 'none.zip') })).rejects.toMatchObject({ code: 'bad_path' });
  });

  it('keys.info gives the active key (matching the package signer) and retired ones', () => {
    const info = exportMethods['keys.info'].output.parse(handlers()['keys.info']());
    expect(info.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(info.short.startsWith('SHA256:')).toBe(true);
    expect(info.retired).toEqual([]);
  });
});
