/**
 * Builds the app data folder the 1M-record e2e opens offline: a real cache made by the app itself
 * (demo sign-in, passphrase, first sync — so owner, permissions and lease are what a user's would
 * be), then filled with the demo generator's history straight through insertEntries.
 *
 *   tsx test/e2e/large/prepare-large-cache.ts <dataDir> <events>
 *
 * Runs in its own process (a million generated entries are a few GB of objects) and prints one
 * progress line per 100k records. Writes <dataDir>/ready.json last, so a half-built folder is
 * never mistaken for a finished one.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppCore } from '../../../main/core/app/create-app';
import { cachesRoot, listKnownCaches } from '../../../main/core/app/known-caches';
import { openCache } from '../../../main/core/cache/cache';
import { insertEntries } from '../../../main/core/cache/insert';
import { generateHistory } from '../../../main/demo-gateway/generator/index';
import { LARGE_CACHE_PASSPHRASE, LARGE_LAYOUT_VERSION } from './large-cache';

const [dataDir, eventsArg] = process.argv.slice(2);
if (!dataDir || !eventsArg) throw new Error('usage: prepare-large-cache.ts <dataDir> <events>');
const events = Number(eventsArg);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

rmSync(dataDir, { recursive: true, force: true });
const core = await createAppCore({ dataDir, host: 'in-process', demo: { events: 2000, days: 30 } });
await core.api.call('session.useDemoGateway', {});
await core.api.call('session.createCache', { passphrase: LARGE_CACHE_PASSPHRASE });
await core.sync.whenIdle();
await core.api.call('session.signOut', {});
await core.close();
const [known] = listKnownCaches(dataDir);
if (!known) throw new Error('the app did not create a cache');

const now = Math.floor(Date.now() / 1000);
const { entries } = generateHistory({ seed: 23, days: 180, operators: events >= 1_000_000 ? 120 : 60, events, now: now - 3600 });
console.log(`generated ${entries.length} entries in ${seconds()} s`);
const cache = openCache(join(cachesRoot(dataDir), known.id), { passphrase: LARGE_CACHE_PASSPHRASE });
for (let i = 0; i < entries.length; i += 5000) {
  insertEntries(cache, entries.slice(i, i + 5000), null);
  if ((i + 5000) % 100_000 === 0) console.log(`stored ${i + 5000} in ${seconds()} s`);
}
cache.db.pragma('wal_checkpoint(TRUNCATE)');
cache.close();
writeFileSync(join(dataDir, 'ready.json'), JSON.stringify({ version: LARGE_LAYOUT_VERSION, events, builtAt: now }));
console.log(`ready in ${seconds()} s`);
