import type { Command } from 'commander';
import { appendCustody } from '../../core/custody';
import { activeSigningKey, publicKeys, rotateSigningKey } from '../../core/signing/key-store';
import { shortFingerprint } from '../../core/signing/keys';
import { openCacheForCli } from '../open-cache';
import type { Cache } from '../../core/cache/cache';

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * `audit-review keys public|fingerprint|rotate --cache DIR` — the cache's package signing key.
 * The key is created on first use; rotating keeps every old public key (`keys public --all`).
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("The cache's package signing key (Ed25519): print, fingerprint, rotate");

  keys
    .command('public')
    .description('print the active public key (PEM); --all adds the retired ones')
    .requiredOption('--cache <dir>', 'cache folder')
    .option('--all', 'also print retired public keys (packages signed before a rotation)')
    .action(async (flags: { cache: string; all?: boolean }) =>
      withCache(flags.cache, (cache) => {
        const active = ensureKey(cache);
        if (!flags.all) {
          process.stdout.write(active.publicPem);
          return;
        }
        for (const key of publicKeys(cache.db)) {
          const state = key.retiredAt === null ? 'active' : `retired ${new Date(key.retiredAt * 1000).toISOString()}`;
          process.stdout.write(`# ${shortFingerprint(key.fingerprint)} (${state})\n${key.publicPem}`);
        }
      }),
    );

  keys
    .command('fingerprint')
    .description('print the active key id (sha256 of the public key, hex) and its short form')
    .requiredOption('--cache <dir>', 'cache folder')
    .action(async (flags: { cache: string }) =>
      withCache(flags.cache, (cache) => {
        const active = ensureKey(cache);
        process.stdout.write(`${active.fingerprint}\n${shortFingerprint(active.fingerprint)}\n`);
      }),
    );

  keys
    .command('rotate')
    .description('retire the active key (its private half is erased, its public key kept) and create a new one')
    .requiredOption('--cache <dir>', 'cache folder')
    .action(async (flags: { cache: string }) =>
      withCache(flags.cache, (cache) => {
        const now = unixNow();
        const { retired, active } = rotateSigningKey(cache.db, now);
        appendCustody(cache.db, {
          actor: cache.owner.username || cache.owner.userId,
          action: 'key-rotated',
          details: { retired_key_id: retired?.fingerprint ?? null, key_id: active.fingerprint },
          at: now,
        });
        process.stdout.write(
          `${retired ? `retired ${shortFingerprint(retired.fingerprint)}; ` : ''}new signing key ${shortFingerprint(active.fingerprint)}\n${active.fingerprint}\n`,
        );
      }),
    );
}

async function withCache(dir: string, run: (cache: Cache) => void): Promise<void> {
  const cache = await openCacheForCli(dir);
  try {
    run(cache);
  } finally {
    cache.close();
  }
}

/** The active key, creating it (and saying so in the custody log) the first time. */
function ensureKey(cache: Cache) {
  const before = publicKeys(cache.db).some((k) => k.retiredAt === null);
  const now = unixNow();
  const key = activeSigningKey(cache.db, now);
  if (!before) appendCustody(cache.db, { actor: 'system', action: 'key-created', details: { key_id: key.fingerprint }, at: now });
  return key;
}
