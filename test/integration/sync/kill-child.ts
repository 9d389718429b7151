// Child process for the kill -9 test: syncs a deterministic fake gateway into a cache, printing
// one line per committed page so the parent knows the sync is under way before it kills us.
import { openCache } from '../../../main/core/cache/cache';
import { syncCache } from '../../../main/core/sync/sync-cache';
import { FakeGateway } from '../../unit/sync/fake-gateway';
import { deterministicEntries, KILL_NOW, TEST_KEY_SCRYPT } from './kill-fixture';

async function main(): Promise<void> {
const [dir] = process.argv.slice(2);
const cache = openCache(dir!, { passphrase: 'kill-test', create: { gatewayUrl: 'http://fake', userId: 'u', username: 'u' }, scrypt: TEST_KEY_SCRYPT });
const gateway = new FakeGateway(deterministicEntries());
const result = await syncCache({
  cache,
  client: gateway,
  now: () => KILL_NOW,
  pageSize: 25,
  windowSeconds: 2 * 86_400,
  horizonSeconds: 10 * 86_400,
  onProgress: (p) => process.stdout.write(`progress ${p.records}\n`),
});
cache.close();
process.stdout.write(`done ${result.outcome} ${result.inserted}\n`);
}

void main();
