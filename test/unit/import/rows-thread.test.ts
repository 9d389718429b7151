import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordSource } from '../../../main/core/import/read-records';
import { rowBatches, type RowBatchStep } from '../../../main/core/import/row-batches';
import { rowBatchesInThread } from '../../../main/core/import/rows-thread';
import { makeEntries, tempDir } from '../cache/fixtures';

const folder = tempDir('ar-rows-thread-');
afterAll(() => folder.cleanup());

const entries = makeEntries(0, 250);
const path = join(folder.dir, 'entries.ndjson');
writeFileSync(path, entries.map((e) => JSON.stringify(e)).join('\n') + '\nnot json\n');
const options = { path, batchSize: 40, checkedRecords: null, maxReported: 10 };

async function collect(steps: AsyncGenerator<RowBatchStep>): Promise<RowBatchStep[]> {
  const all: RowBatchStep[] = [];
  for await (const step of steps) all.push(step);
  return all;
}

describe('rowBatchesInThread', () => {
  it('yields exactly what rowBatches yields in this thread', async () => {
    const here = await collect(rowBatches(recordSource(path, 'ndjson'), options));
    const there = await collect(rowBatchesInThread({ path, format: 'ndjson', options }));
    expect(there).toEqual(here);
    const rows = there.flatMap((step) => step.batches.flat());
    expect(rows.map((row) => row.id)).toEqual(entries.map((e) => e.id));
    expect(there.flatMap((step) => step.invalid)).toEqual([{ record: 251, line: 251, reason: expect.stringMatching(/not valid JSON/) }]);
  });

  it('reports a file it cannot read as an error, not a hang', async () => {
    await expect(collect(rowBatchesInThread({ path: join(folder.dir, 'missing.ndjson'), format: 'ndjson', options }))).rejects.toThrow(/ENOENT|no such file/);
  });

  it('stops the thread when the reader leaves early', async () => {
    const steps = rowBatchesInThread({ path, format: 'ndjson', options: { ...options, batchSize: 1 } });
    const first = await steps.next();
    expect(first.done).toBe(false);
    // return() ends the generator: its finally terminates the worker, and the call settles.
    await expect(steps.return(undefined)).resolves.toEqual({ done: true, value: undefined });
  });
});
