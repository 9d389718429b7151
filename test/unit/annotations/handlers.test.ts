import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { annotationMethods, type AnnotationProgress } from '../../../preload/contract/annotations';
import { createAnnotationHandlers } from '../../../main/core/app/annotation-handlers';
import { annotationsForExport, addComment, addTag } from '../../../main/core/annotations';
import { addFinding, reviewCache, tickingClock } from './fixtures';

type Name = keyof typeof annotationMethods;

describe('annotation and campaign contract handlers', () => {
  let fixture: ReturnType<typeof reviewCache>;
  let locked: boolean;
  let progress: AnnotationProgress[];
  let handlers: ReturnType<typeof createAnnotationHandlers>;
  /** What a transport does: validate the input, run the handler, validate the output. */
  const call = async <N extends Name>(name: N, input: z.input<(typeof annotationMethods)[N]['input']>) => {
    const spec = annotationMethods[name];
    const parsed = spec.input.parse(input);
    const handler = handlers[name] as (input: unknown) => unknown;
    return spec.output.parse(await handler(parsed)) as z.output<(typeof annotationMethods)[N]['output']>;
  };

  beforeEach(() => {
    fixture = reviewCache(12);
    locked = false;
    progress = [];
    handlers = createAnnotationHandlers({
      db: () => (locked ? null : fixture.cache.db),
      author: () => 'alice',
      now: tickingClock(1_765_000_000),
      onProgress: (p) => progress.push(p),
    });
  });
  afterEach(() => fixture.remove());

  it('every mutation answers with the target’s current state and full history', async () => {
    const target = { kind: 'record' as const, id: 'r-0001' };
    await call('annotations.tag', { target, tag: 'q4' });
    await call('annotations.setStatus', { target, status: 'false positive', reason: 'maintenance' });
    const commented = await call('annotations.comment', { target, text: '<img src=x onerror=alert(1)>' });
    const comment = commented.current.comments.find((c) => c.value.startsWith('<img'))!;
    const edited = await call('annotations.editComment', { annotationId: comment.annotation_id, text: 'plain now' });
    expect(edited.current.comments.map((c) => c.value)).toEqual(['maintenance', 'plain now']);
    const deleted = await call('annotations.deleteComment', { annotationId: comment.annotation_id });
    expect(deleted.current).toMatchObject({ status: { value: 'false positive' }, tags: [{ value: 'q4' }] });
    expect(deleted.history.map((v) => `${v.kind}:${v.value}${v.deleted ? ' (deleted)' : ''}`)).toEqual([
      'tag:q4',
      'status:false positive',
      'comment:maintenance',
      'comment:<img src=x onerror=alert(1)>',
      'comment:plain now',
      'comment:plain now (deleted)',
    ]);
    const untagged = await call('annotations.untag', { target, tag: 'q4' });
    expect(untagged.current.tags).toEqual([]);
    expect(await call('annotations.forTarget', { target })).toEqual(untagged);
  });

  it('tags autocomplete', async () => {
    await call('annotations.tag', { target: { kind: 'record', id: 'r-0001' }, tag: 'q4' });
    await call('annotations.tag', { target: { kind: 'record', id: 'r-0002' }, tag: 'q4' });
    await call('annotations.tag', { target: { kind: 'record', id: 'r-0002' }, tag: 'quarterly' });
    expect(await call('annotations.tags', { prefix: 'q' })).toEqual([
      { tag: 'q4', count: 2 },
      { tag: 'quarterly', count: 1 },
    ]);
  });

  it('bulk over a filter emits progress, lists the batch, and undoes in one step', async () => {
    const result = await call('annotations.bulk', { target: { filter: { operators: ['jdoe'] } }, action: { type: 'addTag', tag: 'jdoe-review' } });
    expect(result).toMatchObject({ total: 6, affected: 6, cancelled: false });
    expect(progress.at(-1)).toEqual({ batchId: result.batchId, phase: 'bulk', done: 6, total: 6 });
    expect((await call('annotations.batches', {}))[0]).toMatchObject({ id: result.batchId, action: 'addTag', undone_by: null });
    const undo = await call('annotations.undo', { batchId: result.batchId });
    expect(undo).toMatchObject({ undone: result.batchId, restored: 6, skipped: 0 });
    expect(progress.at(-1)).toMatchObject({ batchId: undo.batchId, phase: 'undo', done: 6 });
    expect(await call('annotations.tags', {})).toEqual([]);
    await expect(call('annotations.undo', { batchId: result.batchId })).rejects.toMatchObject({ name: 'AppError', code: 'conflict' });
  });

  it('cancelBulk stops a running bulk action between chunks', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `r-${String(i + 1).padStart(4, '0')}`);
    handlers = createAnnotationHandlers({
      db: () => fixture.cache.db,
      author: () => 'alice',
      now: () => 1_765_000_000,
      // The first report carries the batch id: cancel right away, before the first chunk.
      onProgress: (p) => void handlers['annotations.cancelBulk']({ batchId: p.batchId }),
    });
    const result = await call('annotations.bulk', { target: { ids }, action: { type: 'setStatus', status: 'reviewed' } });
    expect(result).toMatchObject({ cancelled: true, affected: 0, total: 12 });
    expect(await call('annotations.cancelBulk', { batchId: 'long gone' })).toEqual({ ok: true });
  });

  it('campaigns: create, list, coverage, archive', async () => {
    addFinding(fixture.cache.db, 'f-1', ['r-0002']);
    const campaign = await call('campaigns.create', { name: 'Q4', filter: { eventTypes: ['DeleteRoute'] }, periodFrom: 0, periodTo: 2_000_000_000, reviewers: ['alice'] });
    expect(await call('campaigns.list', {})).toEqual([campaign]);
    await call('annotations.setStatus', { target: { kind: 'record', id: 'r-0002' }, status: 'reviewed' });
    await call('annotations.setStatus', { target: { kind: 'finding', id: 'f-1' }, status: 'reviewed' });
    expect(await call('campaigns.coverage', { id: campaign.id })).toMatchObject({ records_in_scope: 6, records_with_status: 1, percent_records: 16.6, findings_in_scope: 1, percent_findings: 100, by_reviewer: { alice: 1 } });
    const updated = await call('campaigns.update', { id: campaign.id, reviewers: ['alice', 'bob'] });
    expect(updated.reviewers).toEqual(['alice', 'bob']);
    expect((await call('campaigns.archive', { id: campaign.id })).archived_at).not.toBeNull();
    expect(await call('campaigns.list', {})).toEqual([]);
    expect(await call('campaigns.list', { includeArchived: true })).toHaveLength(1);
  });

  it('errors reach the UI as AppErrors with a code: locked, invalid input, not found', async () => {
    await expect(call('annotations.tag', { target: { kind: 'record', id: 'r-0001' }, tag: 'a,b' })).rejects.toMatchObject({ name: 'AppError', code: 'invalid_input' });
    await expect(call('annotations.comment', { target: { kind: 'record', id: 'nope' }, text: 'x' })).rejects.toMatchObject({ name: 'AppError', code: 'not_found' });
    await expect(call('campaigns.coverage', { id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    locked = true;
    await expect(call('annotations.forTarget', { target: { kind: 'record', id: 'r-0001' } })).rejects.toMatchObject({ code: 'locked' });
    await expect(call('annotations.bulk', { target: { ids: ['r-0001'] }, action: { type: 'addTag', tag: 'x' } })).rejects.toMatchObject({ code: 'locked' });
    expect(() => annotationMethods['annotations.comment'].input.parse({ target: { kind: 'record', id: 'r' }, text: 'x'.repeat(10_001) })).toThrow();
  });
});

describe('annotations for export', () => {
  it('returns every version of the chosen records (or all), flat, oldest first, with ISO times', () => {
    const fixture = reviewCache(3);
    try {
      const db = fixture.cache.db;
      const alice = { author: 'alice', now: tickingClock(1_765_000_000) };
      addTag(db, { kind: 'record', id: 'r-0001' }, 'q4', alice);
      addComment(db, { kind: 'record', id: 'r-0002' }, '=cmd()', alice);
      addFinding(db, 'f-1', ['r-0001']);
      addTag(db, { kind: 'finding', id: 'f-1' }, 'q4', alice);
      addTag(db, { kind: 'record', id: 'r-0003' }, 'other', alice);
      const some = annotationsForExport(db, new Set(['r-0002', 'r-0001', 'r-0404']));
      expect(some.map((a) => [a.target_id, a.kind, a.value])).toEqual([
        ['r-0001', 'tag', 'q4'],
        ['r-0002', 'comment', '=cmd()'],
      ]);
      expect(some[0]).toMatchObject({ created_at: 1_765_000_000, created_at_utc: '2025-12-06T05:46:40Z', deleted: false, prev_version: null, author: 'alice' });
      expect(annotationsForExport(db).map((a) => a.target_id)).toEqual(['r-0001', 'r-0002', 'f-1', 'r-0003']);
    } finally {
      fixture.remove();
    }
  });
});
