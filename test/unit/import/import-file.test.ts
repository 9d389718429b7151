import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getMeta, verifyChain, type Cache } from '../../../main/core/cache/index';
import { entryToRow } from '../../../main/core/cache/record-row';
import { detectFormat, importFile, type ImportProgress } from '../../../main/core/import/index';
import { createTestCache, makeEntries, tempDir } from '../cache/fixtures';

const entries = makeEntries(0, 30);
const hashes = (cache: Cache) => cache.db.prepare('SELECT id, sha256 FROM records ORDER BY seq').all();
const expected = entries.map((e) => ({ id: e.id, sha256: entryToRow(e).sha256 }));

function csvOf(list: typeof entries): string {
  const quote = (v: unknown) => `"${String(v).replace(/"/g, '""')}"`;
  const header = ['id', 'event_time', 'operator', 'source', 'token_name', 'event_type', 'resource_id', 'resource_name', 'gateway_group_id', 'ip_address', 'error_message', 'http_request', 'http_response'];
  const rows = list.map((e) =>
    [e.id, e.event_time, JSON.stringify(e.operator), e.source, e.token_name, e.event_type, e.resource_id, e.resource_name, e.gateway_group_id, e.ip_address, e.error_message, JSON.stringify(e.http_request), JSON.stringify(e.http_response)]
      .map(quote)
      .join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

describe('importFile', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());
  const setup = () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    cleanup = () => {
      cache.close();
      t.cleanup();
    };
    return { cache, file: (name: string, text: string) => (writeFileSync(join(t.dir, name), text), join(t.dir, name)) };
  };

  const formats: Array<[string, string, string]> = [
    ['json-array', 'a.json', JSON.stringify(entries, null, 2)],
    ['json-list', 'b.json', JSON.stringify({ total: entries.length, list: entries }, null, 2)],
    ['json-list', 'c.json', JSON.stringify({ total: entries.length, list: entries })],
    ['ndjson', 'd.ndjson', entries.map((e) => JSON.stringify(e)).join('\n') + '\n'],
    ['csv', 'e.csv', csvOf(entries)],
  ];
  for (const [format, name, text] of formats) {
    it(`imports ${format} (${name}) with the same hashes as a sync would store`, async () => {
      const { cache, file } = setup();
      const path = file(name, text);
      const result = await importFile({ cache, path });
      expect(result).toMatchObject({ format, records: 30, imported: 30, duplicates: 0, invalidCount: 0, committed: true });
      expect(hashes(cache)).toEqual(expected);
      expect(verifyChain(cache.db)).toEqual({ records: 30 });
      expect(JSON.parse(getMeta(cache.db, 'last_import')!)).toMatchObject({ file: path, imported: 30 });
      const again = await importFile({ cache, path });
      expect(again).toMatchObject({ imported: 0, duplicates: 30 });
    });
  }

  it('imports CSV with dotted nested columns', async () => {
    const { cache, file } = setup();
    const csv = 'id,event_time,operator.id,operator.username,event_type,http_request.method,http_request.uri,http_request.body,http_response.status_code\n' + 'X1,1760000000,u-1,jdoe,UpdateRoute,PUT,/api/routes/r-1,"{""name"":""x"",""password"":""p4ss""}",500\n';
    const result = await importFile({ cache, path: file('f.csv', csv) });
    expect(result.imported).toBe(1);
    const row = cache.db.prepare('SELECT operator_username, http_uri, status_code, failed, request_body FROM records').get();
    expect(row).toEqual({ operator_username: 'jdoe', http_uri: '/api/routes/r-1', status_code: 500, failed: 1, request_body: '{"name":"x","password":"******"}' });
  });

  it('reports bad NDJSON rows by line and imports nothing without skipInvalid', async () => {
    const { cache, file } = setup();
    const lines = entries.slice(0, 5).map((e) => JSON.stringify(e));
    lines.splice(2, 0, '{"id": "broken", ');
    lines.splice(4, 0, '', JSON.stringify({ ...entries[9], event_time: 'yesterday' }));
    const path = file('bad.ndjson', lines.join('\n'));
    const strict = await importFile({ cache, path });
    expect(strict).toMatchObject({ committed: false, imported: 0, invalidCount: 2, records: 7 });
    expect(strict.invalid).toEqual([
      { record: 3, line: 3, reason: expect.stringMatching(/not valid JSON/) },
      { record: 5, line: 6, reason: expect.stringMatching(/^event_time/) },
    ]);
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);

    const lenient = await importFile({ cache, path, skipInvalid: true });
    expect(lenient).toMatchObject({ committed: true, imported: 5, invalidCount: 2 });
    expect(cache.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(5);
  });

  it('reports bad CSV rows by line and JSON records by number', async () => {
    const { cache, file } = setup();
    const csv = csvOf(entries.slice(0, 3)).replace(/\r\n$/, '') + '\r\n"only","two"\r\n' + csvOf(entries.slice(3, 4)).split('\r\n')[1] + '\r\n';
    const csvResult = await importFile({ cache, path: file('bad.csv', csv) });
    expect(csvResult.invalid).toEqual([{ record: 4, line: 5, reason: 'wrong number of columns' }]);
    const json = JSON.stringify([entries[0], { id: 'no-time' }, entries[1]]);
    const jsonResult = await importFile({ cache, path: file('bad.json', json), skipInvalid: true });
    expect(jsonResult).toMatchObject({ imported: 2, invalid: [{ record: 2, reason: expect.stringMatching(/event_time/) }] });
  });

  it('refuses a JSON document larger than the limit or without a list', async () => {
    const { cache, file } = setup();
    await expect(importFile({ cache, path: file('x.json', '{"items": []}'), format: 'json-list' })).rejects.toThrow(/no list of entries/);
    await expect(importFile({ cache, path: file('y.json', '[1,') })).rejects.toThrow(/not valid JSON/);
    expect(cache.db.inTransaction).toBe(false);
  });

  describe('in batches (files larger than one transaction)', () => {
    const many = makeEntries(100, 95);
    const ndjson = (list: typeof many) => list.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const manyHashes = many.map((e) => ({ id: e.id, sha256: entryToRow(e).sha256 }));
    const count = (cache: Cache) => cache.db.prepare('SELECT count(*) FROM records').pluck().get() as number;

    describe.each([false, true])('rows prepared on a second thread: %s', (rowsThread) => {
      it('stores the same rows and chain as one transaction would, checking the whole file first', async () => {
        const { cache, file } = setup();
        const phases: string[] = [];
        const result = await importFile({ cache, path: file('many.ndjson', ndjson(many)), batchSize: 10, rowsThread, onProgress: (p) => phases.push(p.phase) });
        expect(result).toMatchObject({ records: 95, imported: 95, duplicates: 0, committed: true, cancelled: false });
        expect(hashes(cache)).toEqual(manyHashes);
        expect(verifyChain(cache.db)).toEqual({ records: 95 });
        // The check ran over the whole file before anything was stored.
        expect(phases[0]).toBe('checking');
        expect(phases.at(-1)).toBe('storing');
        expect(phases.indexOf('storing')).toBe(phases.lastIndexOf('checking') + 1);
        const single = setup();
        await importFile({ cache: single.cache, path: single.file('one.ndjson', ndjson(many)), batchSize: 1000, rowsThread });
        expect(hashes(single.cache)).toEqual(hashes(cache));
        expect(single.cache.db.prepare('SELECT head FROM chain_state').pluck().get()).toBe(cache.db.prepare('SELECT head FROM chain_state').pluck().get());
        single.cache.close();
      });

      it('stores nothing when the last record of a many-batch file is bad', async () => {
        const { cache, file } = setup();
        const text = ndjson(many) + '{"id": "late", "event_time": "soon"}\n';
        const result = await importFile({ cache, path: file('late-bad.ndjson', text), batchSize: 10, rowsThread });
        expect(result).toMatchObject({ committed: false, imported: 0, records: 96, invalid: [{ record: 96, line: 96, reason: expect.stringMatching(/^event_time/) }] });
        expect(count(cache)).toBe(0);
        expect(getMeta(cache.db, 'last_import')).toBeUndefined();
      });

      it('with skipInvalid, stores the valid records in one pass', async () => {
        const { cache, file } = setup();
        const lines = ndjson(many).split('\n');
        lines.splice(40, 0, 'not json');
        const phases = new Set<string>();
        const result = await importFile({ cache, path: file('skip.ndjson', lines.join('\n')), batchSize: 10, rowsThread, skipInvalid: true, onProgress: (p) => phases.add(p.phase) });
        expect(result).toMatchObject({ records: 96, imported: 95, invalidCount: 1, invalid: [{ record: 41, line: 41 }], committed: true });
        expect([...phases]).toEqual(['storing']);
        expect(hashes(cache)).toEqual(manyHashes);
      });

      it('cancelled while checking stores nothing; cancelled while storing keeps whole batches, and a re-run finishes', async () => {
        const { cache, file } = setup();
        // The file is a single read batch, so a cancel is seen after it: in the check, or once its full batches of 10 are stored.
        const path = file('cancel.ndjson', ndjson(many));
        const early = new AbortController();
        const checking = await importFile({ cache, path, batchSize: 10, rowsThread, signal: early.signal, onProgress: () => early.abort() });
        expect(checking).toMatchObject({ committed: false, cancelled: true, imported: 0 });
        expect(count(cache)).toBe(0);

        const late = new AbortController();
        const storing = await importFile({ cache, path, batchSize: 10, rowsThread, signal: late.signal, onProgress: (p) => p.phase === 'storing' && late.abort() });
        expect(storing).toMatchObject({ committed: false, cancelled: true });
        // The one read batch holds all 95 records: its 9 full batches of 10 were stored; the last 5 were not.
        expect(storing.imported).toBe(90);
        expect(hashes(cache)).toEqual(manyHashes.slice(0, 90));
        expect(verifyChain(cache.db)).toEqual({ records: 90 });
        expect(getMeta(cache.db, 'last_import')).toBeUndefined();

        const rerun = await importFile({ cache, path, batchSize: 10, rowsThread });
        expect(rerun).toMatchObject({ committed: true, imported: 5, duplicates: 90 });
        expect(hashes(cache)).toEqual(manyHashes);
        expect(verifyChain(cache.db)).toEqual({ records: 95 });
      });
    });

    // Over 1 MiB, so the second pass reads it in more than one chunk and sees a change made after its first.
    const padded = makeEntries(1000, 1300).map((e) => ({ ...e, http_request: { ...e.http_request, body: { pad: 'p'.repeat(900) } } }));
    const paddedHashes = padded.map((e) => ({ id: e.id, sha256: entryToRow(e).sha256 }));

    it('stops with an error, keeping the stored batches, when the file turns invalid between the passes', async () => {
      const { cache, file } = setup();
      const text = ndjson(padded);
      expect(text.length).toBeGreaterThan(1.2 * (1 << 20));
      const path = file('changing.ndjson', text);
      // Same length, so the second pass's offsets still fall on the same lines.
      const broken = text.split('\n');
      broken[1199] = broken[1199]!.replace(/"event_time":(\d+)/, (_, digits: string) => `"event_time":"${'x'.repeat(digits.length - 2)}"`);
      expect(broken.join('\n').length).toBe(text.length);
      let swapped = false;
      const onProgress = (p: ImportProgress) => {
        if (p.phase === 'storing' && !swapped) {
          swapped = true;
          writeFileSync(path, broken.join('\n'));
        }
      };
      await expect(importFile({ cache, path, batchSize: 100, onProgress })).rejects.toThrow(/changed while it was imported: record 1200 \(line 1200\) is now invalid.*the first 1100 records are stored/);
      expect(hashes(cache)).toEqual(paddedHashes.slice(0, 1100));
      expect(verifyChain(cache.db)).toEqual({ records: 1100 });
    });

    it('stops with an error when the file is cut short between the passes', async () => {
      const { cache, file } = setup();
      const text = ndjson(padded);
      const path = file('shrinking.ndjson', text);
      let cut = false;
      const onProgress = (p: ImportProgress) => {
        if (p.phase === 'storing' && !cut) {
          cut = true;
          writeFileSync(path, text.split('\n').slice(0, 1250).join('\n') + '\n');
        }
      };
      await expect(importFile({ cache, path, batchSize: 100, onProgress })).rejects.toThrow(/now ends after record 1250 of the 1300 checked; the first 1250 records are stored/);
      expect(hashes(cache)).toEqual(paddedHashes.slice(0, 1250));
    });

    it('stores only the records it checked when lines are appended between the passes', async () => {
      const { cache, file } = setup();
      const text = ndjson(padded);
      const path = file('growing.ndjson', text);
      let grown = false;
      const onProgress = (p: ImportProgress) => {
        if (p.phase === 'storing' && !grown) {
          grown = true;
          appendFileSync(path, 'appended, unchecked\n' + ndjson(many));
        }
      };
      const result = await importFile({ cache, path, batchSize: 100, onProgress });
      expect(grown).toBe(true);
      expect(result).toMatchObject({ committed: true, records: 1300, imported: 1300 });
      expect(hashes(cache)).toEqual(paddedHashes);
    });

    // With a reader thread the second pass reads ahead of the writer, so these change the file at
    // the check's last progress report (its records are all read), before the second pass starts.
    const changeAfterCheck = (change: () => void) => (p: ImportProgress) => p.phase === 'checking' && p.records === padded.length && change();

    it('on the reader thread: a record turned invalid stops the import, keeping the whole batches before it', async () => {
      const { cache, file } = setup();
      const text = ndjson(padded);
      const path = file('changing-thread.ndjson', text);
      const broken = text.split('\n');
      broken[1199] = broken[1199]!.replace(/"event_time":(\d+)/, '"event_time":"soon"');
      const onProgress = changeAfterCheck(() => writeFileSync(path, broken.join('\n')));
      await expect(importFile({ cache, path, batchSize: 100, rowsThread: true, onProgress })).rejects.toThrow(
        /changed while it was imported: record 1200 \(line 1200\) is now invalid.*the first 1100 records are stored, fix the file/,
      );
      expect(hashes(cache)).toEqual(paddedHashes.slice(0, 1100));
      expect(verifyChain(cache.db)).toEqual({ records: 1100 });
    });

    it('on the reader thread: a file cut short stores what is there and says so; appended lines are not stored', async () => {
      const short = setup();
      const text = ndjson(padded);
      const shortPath = short.file('shrinking-thread.ndjson', text);
      const cut = changeAfterCheck(() => writeFileSync(shortPath, text.split('\n').slice(0, 1250).join('\n') + '\n'));
      await expect(importFile({ cache: short.cache, path: shortPath, batchSize: 100, rowsThread: true, onProgress: cut })).rejects.toThrow(
        /now ends after record 1250 of the 1300 checked; the first 1250 records are stored/,
      );
      expect(hashes(short.cache)).toEqual(paddedHashes.slice(0, 1250));
      short.cache.close();

      const { cache, file } = setup();
      const path = file('growing-thread.ndjson', text);
      // Whether the reader thread is past the old end or not when lines are appended, it stops at the last checked record.
      let grown = false;
      const grow = (p: ImportProgress) => p.phase === 'storing' && !grown && ((grown = true), appendFileSync(path, 'appended, unchecked\n' + ndjson(many)));
      const result = await importFile({ cache, path, batchSize: 100, rowsThread: true, onProgress: grow });
      expect(result).toMatchObject({ committed: true, records: 1300, imported: 1300 });
      expect(hashes(cache)).toEqual(paddedHashes);
    });
  });

  it('detects formats from content', () => {
    expect(detectFormat('\uFEFF  [ {')).toBe('json-array');
    expect(detectFormat('{"total":1,"list":[{"id":1}]}')).toBe('json-list');
    expect(detectFormat('{\n  "list": [')).toBe('json-list');
    expect(detectFormat('{"id":"a","event_time":1}\n{"id":"b"}')).toBe('ndjson');
    expect(detectFormat('id,event_time\n')).toBe('csv');
  });
});

describe('CSV in the flattened layout of the gateway export', () => {
  it('maps operator_*, http_*, status_code and request_body columns', async () => {
    const t = tempDir();
    const cache = createTestCache(t.dir);
    try {
      const csv =
        'id,event_time,event_type,operator_id,operator_username,operator_email,source,token_name,resource_id,resource_name,gateway_group_id,ip_address,http_method,http_uri,status_code,error_message,request_body\n' +
        'F1,1760000000,DeleteRoute,u-9,mallory,m@example.com,api,ci,r-1,payments,default,198.51.100.7,DELETE,/api/routes/r-1,404,"not found, sorry",\n' +
        'F2,1760000001,UpdateRoute,u-9,mallory,m@example.com,dashboard,,r-1,payments,default,198.51.100.7,PUT,/api/routes/r-1,200,,"{""token"":""abc""}"\n';
      writeFileSync(join(t.dir, 'export.csv'), csv);
      const result = await importFile({ cache, path: join(t.dir, 'export.csv') });
      expect(result).toMatchObject({ format: 'csv', imported: 2, invalidCount: 0 });
      const rows = cache.db.prepare('SELECT id, operator_username, http_method, status_code, failed, error_message, request_body FROM records ORDER BY seq').all();
      expect(rows).toEqual([
        { id: 'F1', operator_username: 'mallory', http_method: 'DELETE', status_code: 404, failed: 1, error_message: 'not found, sorry', request_body: null },
        { id: 'F2', operator_username: 'mallory', http_method: 'PUT', status_code: 200, failed: 0, error_message: '', request_body: '{"token":"******"}' },
      ]);
    } finally {
      cache.close();
      t.cleanup();
    }
  });
});
