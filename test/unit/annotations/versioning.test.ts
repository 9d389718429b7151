import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addComment,
  addTag,
  currentFor,
  deleteComment,
  editComment,
  historyFor,
  listTags,
  removeTag,
  setStatus,
  type Actor,
} from '../../../main/core/annotations';
import { addFinding, reviewCache, stateVersusHistory, tickingClock } from './fixtures';

const record = (id: string) => ({ kind: 'record' as const, id });

describe('annotations: versions, tombstones and history', () => {
  let fixture: ReturnType<typeof reviewCache>;
  let alice: Actor;
  beforeEach(() => {
    fixture = reviewCache(5);
    alice = { author: 'alice', now: tickingClock(1_765_000_000) };
  });
  afterEach(() => fixture.remove());

  it('an edited then deleted comment keeps every version, linked, oldest first', () => {
    const db = fixture.cache.db;
    const first = addComment(db, record('r-0001'), 'looks odd', alice);
    const second = editComment(db, first.annotation_id, 'looks odd: 3 deletes in 2 minutes', alice);
    const tombstone = deleteComment(db, first.annotation_id, alice);

    const history = historyFor(db, record('r-0001'));
    expect(history.map((v) => [v.value, v.deleted, v.prev_version])).toEqual([
      ['looks odd', false, null],
      ['looks odd: 3 deletes in 2 minutes', false, first.version_id],
      ['looks odd: 3 deletes in 2 minutes', true, second.version_id],
    ]);
    expect(history.map((v) => v.created_at)).toEqual([1_765_000_000, 1_765_000_001, 1_765_000_002]);
    expect(history.every((v) => v.author === 'alice' && v.annotation_id === first.annotation_id)).toBe(true);
    expect(tombstone.deleted).toBe(true);
    expect(currentFor(db, record('r-0001')).comments).toEqual([]);
  });

  it('current comments show when they were first written and whether they were edited', () => {
    const db = fixture.cache.db;
    const a = addComment(db, record('r-0002'), 'first', alice);
    addComment(db, record('r-0002'), 'second', alice);
    editComment(db, a.annotation_id, 'first, revised', alice);
    const comments = currentFor(db, record('r-0002')).comments;
    expect(comments.map((c) => [c.value, c.edited, c.created_at])).toEqual([
      ['first, revised', true, 1_765_000_000],
      ['second', false, 1_765_000_001],
    ]);
  });

  it('a deleted comment cannot be edited, and only its author may change it', () => {
    const db = fixture.cache.db;
    const comment = addComment(db, record('r-0001'), 'mine', alice);
    expect(() => editComment(db, comment.annotation_id, 'not yours', { author: 'bob', now: () => 1 })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => deleteComment(db, comment.annotation_id, { author: 'bob', now: () => 1 })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    deleteComment(db, comment.annotation_id, alice);
    expect(() => editComment(db, comment.annotation_id, 'again', alice)).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => editComment(db, 'comment:nope', 'x', alice)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(historyFor(db, record('r-0001'))).toHaveLength(2);
  });

  it('removing and re-adding a tag continues one history; adding a present tag writes nothing', () => {
    const db = fixture.cache.db;
    const added = addTag(db, record('r-0003'), '  q4-review ', alice)!;
    expect(added.value).toBe('q4-review');
    expect(addTag(db, record('r-0003'), 'q4-review', alice)).toBeNull();
    const removed = removeTag(db, record('r-0003'), 'q4-review', alice)!;
    expect(removeTag(db, record('r-0003'), 'q4-review', alice)).toBeNull();
    const readded = addTag(db, record('r-0003'), 'q4-review', alice)!;
    expect([removed.prev_version, readded.prev_version]).toEqual([added.version_id, removed.version_id]);
    expect(new Set([added, removed, readded].map((v) => v.annotation_id)).size).toBe(1);
    expect(currentFor(db, record('r-0003')).tags.map((t) => t.value)).toEqual(['q4-review']);
  });

  it('status: one current value per target; "unreviewed" on an unreviewed target is not a change', () => {
    const db = fixture.cache.db;
    expect(setStatus(db, record('r-0004'), 'unreviewed', alice).status).toBeNull();
    setStatus(db, record('r-0004'), 'needs-follow-up', alice);
    const result = setStatus(db, record('r-0004'), 'false positive', alice, 'known maintenance window');
    expect(result.status?.value).toBe('false positive');
    expect(result.reason?.value).toBe('known maintenance window');
    expect(setStatus(db, record('r-0004'), 'false positive', alice).status).toBeNull();
    const current = currentFor(db, record('r-0004'));
    expect(current.status).toMatchObject({ value: 'false positive', author: 'alice' });
    expect(current.comments.map((c) => c.value)).toEqual(['known maintenance window']);
    expect(historyFor(db, record('r-0004')).filter((v) => v.kind === 'status').map((v) => v.value)).toEqual(['needs follow up', 'false positive']);
    expect(() => setStatus(db, record('r-0004'), 'done', alice)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('annotates findings as well as records, and refuses targets that do not exist', () => {
    const db = fixture.cache.db;
    addFinding(db, 'f-1', ['r-0001', 'r-0002']);
    setStatus(db, { kind: 'finding', id: 'f-1' }, 'escalated', alice);
    addTag(db, { kind: 'finding', id: 'f-1' }, 'incident-42', alice);
    expect(currentFor(db, { kind: 'finding', id: 'f-1' }).status?.value).toBe('escalated');
    // The same id as a record is another target: the finding's annotations do not leak onto it.
    expect(currentFor(db, record('r-0001')).status).toBeNull();
    expect(() => addTag(db, record('r-9999'), 'x', alice)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => addComment(db, { kind: 'finding', id: 'f-404' }, 'x', alice)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('annotation_state always equals what the history implies', () => {
    const db = fixture.cache.db;
    const bob: Actor = { author: 'bob', now: tickingClock(1_766_000_000) };
    const c = addComment(db, record('r-0001'), 'a', alice);
    addTag(db, record('r-0001'), 'x', alice);
    addTag(db, record('r-0002'), 'x', bob);
    removeTag(db, record('r-0001'), 'x', bob);
    setStatus(db, record('r-0001'), 'reviewed', alice);
    setStatus(db, record('r-0001'), 'escalated', bob);
    editComment(db, c.annotation_id, 'b', alice);
    addComment(db, record('r-0005'), 'gone soon', bob);
    const gone = currentFor(db, record('r-0005')).comments[0]!;
    deleteComment(db, gone.annotation_id, bob);
    const { derived, stored } = stateVersusHistory(db);
    expect(stored).toEqual(derived);
    expect(stored.map((row) => (row as { kind: string }).kind).sort()).toEqual(['comment', 'status', 'tag']);
  });

  it('a failed write leaves neither a version nor a state change', () => {
    const db = fixture.cache.db;
    const clock = () => {
      throw new Error('clock broke');
    };
    expect(() => addTag(db, record('r-0001'), 'x', { author: 'alice', now: clock })).toThrow('clock broke');
    expect(db.prepare('SELECT count(*) FROM annotations').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM annotation_state').pluck().get()).toBe(0);
  });

  it('the database itself refuses to UPDATE or DELETE annotation versions', () => {
    const db = fixture.cache.db;
    addComment(db, record('r-0001'), 'evidence', alice);
    expect(() => db.prepare("UPDATE annotations SET value = 'rewritten'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM annotations').run()).toThrow(/append-only/);
    expect(historyFor(db, record('r-0001'))[0]!.value).toBe('evidence');
  });

  it('stores comments with markup or formulas byte for byte, never interpreted', () => {
    const db = fixture.cache.db;
    const texts = [
      '<script>alert(document.cookie)</script>',
      '=cmd|" /C calc"!A0',
      '=HYPERLINK("http://evil.example","click")',
      '+SUM(1,2)\r\n@import "x";\t<b>bold</b> &amp; ünïcødé 🚩',
      '  leading and trailing spaces  ',
    ];
    for (const text of texts) addComment(db, record('r-0002'), text, alice);
    const stored = currentFor(db, record('r-0002')).comments.map((c) => c.value);
    expect(stored).toEqual(texts);
    const bytes = db.prepare("SELECT value FROM annotations WHERE kind = 'comment' ORDER BY version_id").pluck().all() as string[];
    expect(bytes.map((v) => Buffer.from(v, 'utf8').toString('hex'))).toEqual(texts.map((t) => Buffer.from(t, 'utf8').toString('hex')));
  });

  it('lists tags in use for autocomplete, most used first, prefix case-insensitive and literal', () => {
    const db = fixture.cache.db;
    for (const id of ['r-0001', 'r-0002', 'r-0003']) addTag(db, record(id), 'Q4-review', alice);
    addTag(db, record('r-0001'), 'q4_special', alice);
    addTag(db, record('r-0001'), 'qa', alice);
    addTag(db, record('r-0004'), 'removed', alice);
    removeTag(db, record('r-0004'), 'removed', alice);
    expect(listTags(db)).toEqual([
      { tag: 'Q4-review', count: 3 },
      { tag: 'q4_special', count: 1 },
      { tag: 'qa', count: 1 },
    ]);
    expect(listTags(db, 'q4').map((t) => t.tag)).toEqual(['Q4-review', 'q4_special']);
    // "_" is a LIKE wildcard; typed by a user it must match only an underscore.
    expect(listTags(db, 'q4_').map((t) => t.tag)).toEqual(['q4_special']);
    expect(listTags(db, '%')).toEqual([]);
  });
});
