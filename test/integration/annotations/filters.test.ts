import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilterModel } from '../../../preload/contract';
import { addComment, addTag, removeTag, setStatus, type Actor } from '../../../main/core/annotations';
import { openReader } from '../../../main/core/cache/cache';
import { parseFilter } from '../../../main/core/query/filter-language';
import { createQueryService } from '../../../main/core/query/query-service';
import { reviewCache, tickingClock } from '../../unit/annotations/fixtures';

const record = (id: string) => ({ kind: 'record' as const, id });

/** Annotations written through the writer must be what the query layer (a reader) filters on. */
describe('filtering records by their annotations', () => {
  let fixture: ReturnType<typeof reviewCache>;
  beforeEach(() => {
    fixture = reviewCache(10);
    const db = fixture.cache.db;
    const alice: Actor = { author: 'alice', now: tickingClock() };
    const bob: Actor = { author: 'bob', now: tickingClock() };
    addTag(db, record('r-0001'), 'q4', alice);
    addTag(db, record('r-0002'), 'q4', alice);
    addTag(db, record('r-0003'), 'q4', alice);
    removeTag(db, record('r-0003'), 'q4', alice);
    addTag(db, record('r-0004'), 'privileged change', bob);
    setStatus(db, record('r-0001'), 'reviewed', alice);
    setStatus(db, record('r-0002'), 'needs follow up', bob);
    setStatus(db, record('r-0005'), 'reviewed', bob);
    setStatus(db, record('r-0005'), 'unreviewed', bob);
    addComment(db, record('r-0006'), 'why at 3am?', bob);
  });
  afterEach(() => fixture.remove());

  const ids = (filter: FilterModel) => {
    const reader = openReader(fixture.dir, fixture.cache.key);
    try {
      const query = createQueryService(reader, { now: () => 1_765_000_000 });
      return query
        .page(filter, { column: 'event_time', direction: 'asc' }, 0, 100)
        .map((row) => row.id);
    } finally {
      reader.close();
    }
  };
  const language = (text: string): FilterModel => {
    const parsed = parseFilter(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.filter;
  };

  it('tag: matches live tags only (a removed tag no longer matches)', () => {
    expect(ids({ tags: ['q4'] })).toEqual(['r-0001', 'r-0002']);
    expect(ids(language('tag:"privileged change"'))).toEqual(['r-0004']);
  });

  it('status: matches the current status; "unreviewed" includes records with no status', () => {
    expect(ids(language('status:reviewed'))).toEqual(['r-0001']);
    expect(ids(language('status:needs-follow-up'))).toEqual(['r-0002']);
    expect(ids(language('status:unreviewed'))).toEqual(['r-0003', 'r-0004', 'r-0005', 'r-0006', 'r-0007', 'r-0008', 'r-0009', 'r-0010']);
  });

  it('has:comment and annotated-by:', () => {
    expect(ids(language('has:comment'))).toEqual(['r-0006']);
    expect(ids(language('annotated-by:bob'))).toEqual(['r-0002', 'r-0004', 'r-0005', 'r-0006']);
    expect(ids(language('annotated-by:alice tag:q4'))).toEqual(['r-0001', 'r-0002']);
  });

  it('the table rows carry the annotation marks', () => {
    const reader = openReader(fixture.dir, fixture.cache.key);
    try {
      const rows = createQueryService(reader).page({}, { column: 'event_time', direction: 'asc' }, 0, 3);
      expect(rows.map((r) => [r.id, r.annotated, r.review_status])).toEqual([
        ['r-0001', true, 'reviewed'],
        ['r-0002', true, 'needs follow up'],
        ['r-0003', false, null],
      ]);
    } finally {
      reader.close();
    }
  });

  it('the per-record annotation filters look annotations up by target (no scan per record)', () => {
    // A guard against an index that tempts the planner into scanning annotation_state per record:
    // that turned tag:x on 30k records from 30 ms into 40 s once.
    const plan = (sql: string) =>
      (fixture.cache.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all("q4") as { detail: string }[]).map((row) => row.detail).join('\n');
    const detail = plan(
      `SELECT count(*) FROM records r WHERE EXISTS (SELECT 1 FROM annotation_state a WHERE a.target_kind = 'record' AND a.target_id = r.id AND a.kind = 'tag' AND a.value IN (?))`,
    );
    expect(detail).toMatch(/annotation_state_target/);
  });
});
