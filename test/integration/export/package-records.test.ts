import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePackage } from '../../../main/core/export/package-writer';
import { generateSigningKey } from '../../../main/core/signing/keys';
import { readPackageRecords } from '../../../main/core/verify/package-records';
import { makeTempDir } from '../../helpers/temp-cache';
import { sampleEntries, sampleMeta } from './fixtures';

/** "Open package": pages of a package's records, read straight from the zip. */
describe('browsing a package read-only', () => {
  const temp = makeTempDir();
  const entries = sampleEntries(250);
  const key = generateSigningKey();
  const json = join(temp.dir, 'json.zip');
  const csv = join(temp.dir, 'csv.zip');
  beforeAll(async () => {
    await writePackage({ outPath: json, records: entries, formats: ['json', 'csv'], meta: sampleMeta, signingKey: key });
    await writePackage({ outPath: csv, records: entries, formats: ['csv'], meta: sampleMeta, signingKey: key });
  });
  afterAll(() => temp.remove());

  it('pages through records.json in order', async () => {
    const first = await readPackageRecords(json, { offset: 0, limit: 100 });
    expect(first).toMatchObject({ total: 250, source: 'records.json', problems: [] });
    expect(first.records.map((r) => r.id)).toEqual(entries.slice(0, 100).map((e) => e.id));
    const last = await readPackageRecords(json, { offset: 200, limit: 100 });
    expect(last.records.map((r) => r.id)).toEqual(entries.slice(200).map((e) => e.id));
  });

  it('reads a CSV-only package the same way', async () => {
    const page = await readPackageRecords(csv, { offset: 10, limit: 5 });
    expect(page).toMatchObject({ total: 250, source: 'records.csv', problems: [] });
    expect(page.records.map((r) => r.id)).toEqual(entries.slice(10, 15).map((e) => e.id));
  });

  it('reports a file that is not a package instead of crashing', async () => {
    const bogus = join(temp.dir, 'bogus.zip');
    writeFileSync(bogus, 'not a zip at all');
    const page = await readPackageRecords(bogus, { offset: 0, limit: 10 });
    expect(page.total).toBe(0);
    expect(page.problems.join(' ')).toMatch(/not a readable zip/);
  });
});
