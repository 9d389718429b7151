import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { insertEntries } from '../../../../main/core/cache/insert';
import { migrate, schemaVersion } from '../../../../main/core/cache/migrate';
import { migrations } from '../../../../main/core/cache/migrations/index';
import { entryToRow } from '../../../../main/core/cache/record-row';
import { makeEntries, makeEntry } from '../fixtures';

describe('migration 006 (full-text index written per batch)', () => {
  it('drops the per-row trigger of a version-5 cache, keeps its index, and new inserts are still searchable', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 5));
    expect(schemaVersion(db)).toBe(5);
    // Rows stored the version-5 way: a plain INSERT, indexed by the trigger.
    const rows = makeEntries(0, 5).map((entry) => entryToRow(entry));
    const columns = Object.keys(rows[0]!).filter((c) => c !== 'warnings');
    const insert = db.prepare(`INSERT INTO records (${columns.join(', ')}, prev_hash, chain_hash, synced_at) VALUES (${columns.map(() => '?').join(', ')}, '', '', 0)`);
    for (const row of rows) insert.run(...columns.map((c) => (row as unknown as Record<string, unknown>)[c]));
    const indexed = () => db.prepare('SELECT count(*) FROM records_fts_docsize').pluck().get();
    expect(indexed()).toBe(5);

    expect(migrate(db)).toBe(6);
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();
    expect(triggers).not.toContain('records_fts_insert');
    expect(triggers).toContain('records_fts_delete');
    expect(indexed()).toBe(5);

    insertEntries({ db }, [makeEntry(5, { resource_name: 'unicorn-route' }), makeEntry(6)], null);
    expect(indexed()).toBe(7);
    expect(db.prepare("SELECT rowid FROM records_fts WHERE records_fts MATCH 'unicorn'").pluck().all()).toEqual([6]);
    db.close();
  });
});
