import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExportFile, parseExport } from '../../../main/demo-gateway/load-export';
import { startDemoGateway } from '../../../main/demo-gateway/server';

const a = { id: 'A', event_time: 100, event_type: 'Login' };
const b = { id: 'B', event_time: 50, event_type: 'UpdateRoute', operator: { id: 'u-1', username: 'x' } };

describe('--data exports', () => {
  it('reads a JSON array, {list}, {value:{list}} and NDJSON', () => {
    expect(parseExport(JSON.stringify([a, b])).map((e) => e.id)).toEqual(['A', 'B']);
    expect(parseExport(JSON.stringify({ total: 2, list: [a, b] }))).toHaveLength(2);
    expect(parseExport(JSON.stringify({ value: { list: [a] } }))).toHaveLength(1);
    expect(parseExport(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`).map((e) => e.id)).toEqual(['A', 'B']);
    expect(parseExport('')).toEqual([]);
  });

  it('names the bad entry or line', () => {
    expect(() => parseExport(JSON.stringify([a, { id: 'C' }]), 'f.json')).toThrow(/f.json, entry 2: event_time/);
    expect(() => parseExport(`${JSON.stringify(a)}\nnot json`, 'f.ndjson')).toThrow(/f.ndjson, line 2/);
    expect(() => parseExport('{"items": []}')).toThrow(/holds no entries/);
    expect(() => loadExportFile('/nonexistent/file.json')).toThrow(/cannot read/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'gw-data-'));
  let close = async () => {};
  afterAll(() => close());

  it('serves a loaded export sorted by time', async () => {
    const file = join(dir, 'export.json');
    writeFileSync(file, JSON.stringify({ list: [a, b] }));
    const gw = await startDemoGateway({ data: file });
    close = gw.close;
    expect(gw.incidents).toEqual([]);
    const response = await fetch(`${gw.url}/api/audit_logs?direction=asc`, { headers: { 'X-API-KEY': gw.createToken('auditor') } });
    const body = (await response.json()) as { total: number; list: { id: string }[] };
    expect(body.total).toBe(2);
    expect(body.list.map((e: { id: string }) => e.id)).toEqual(['B', 'A']);
  });
});
