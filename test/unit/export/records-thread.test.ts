import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeEntry } from '../../../main/core/export/canonical-entry';
import { RecordSink, type RecordSinkResult, type TextFormat } from '../../../main/core/export/record-sink';
import { writeStoredRecordsInThread } from '../../../main/core/export/records-in-thread';
import { canonicalJson } from '../../../main/core/records/canonical';
import type { AuditEntry } from '../../../main/core/records/entry';
import { sampleEntries } from '../../integration/export/fixtures';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-records-thread-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Stored texts as the cache holds them: canonicalJson of validated entries. */
function storedTexts(): string[] {
  const entries: AuditEntry[] = sampleEntries(3000);
  // A record bigger than a whole batch (1 MB), one with escapes in every string, non-ASCII text.
  entries[10] = { ...entries[10]!, http_request: { ...entries[10]!.http_request, body: { blob: 'x'.repeat(1_500_000), q: '"' } } };
  entries[11] = { ...entries[11]!, resource_name: 'tab\there "quoted" back\\slash', error_message: 'line\nbreak' };
  entries[12] = { ...entries[12]!, resource_name: 'ünïcødé ✓ 😀, and a comma', operator: { ...entries[12]!.operator, username: '=cmd' } };
  return entries.map((e, i) => canonicalJson(normalizeEntry(e, i)));
}

async function inThisThread(texts: string[], formats: TextFormat[]): Promise<{ result: RecordSinkResult; dir: string }> {
  const dir = tempDir();
  const sink = new RecordSink(dir, formats);
  for (const text of texts) sink.addStored(text);
  return { result: await sink.close(), dir };
}

const fileText = (dir: string, name: string) => inflateRawSync(readFileSync(join(dir, name))).toString('utf8');

describe('records written in the export thread', () => {
  it.each<{ formats: TextFormat[] }>([{ formats: ['csv'] }, { formats: ['json', 'csv'] }, { formats: ['json'] }])('give the same $formats bytes and Merkle root as in this thread', async ({ formats }) => {
    const texts = storedTexts();
    const reference = await inThisThread(texts, formats);
    const dir = tempDir();
    const threaded = await writeStoredRecordsInThread(texts, dir, formats);

    expect(threaded.count).toBe(texts.length);
    expect(threaded.merkleRoot).toBe(reference.result.merkleRoot);
    expect(threaded.files.map((f) => f.name)).toEqual(reference.result.files.map((f) => f.name));
    for (const [i, file] of threaded.files.entries()) {
      expect(file.file.sha256, file.name).toBe(reference.result.files[i]!.file.sha256);
      expect(fileText(dir, file.name)).toBe(fileText(reference.dir, file.name));
    }
    if (formats.includes('json')) expect(fileText(dir, 'records.json')).toBe(`[\n${texts.join(',\n')}\n]\n`);
  }, 60_000);
});
