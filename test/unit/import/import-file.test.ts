import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getMeta, verifyChain, type Cache } from '../../../main/core/cache/index';
import { entryToRow } from '../../../main/core/cache/record-row';
import { detectFormat, importFile } from '../../../main/core/import/index';
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
