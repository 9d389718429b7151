import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cache } from '../../core/cache/cache';
import { createGatewayClient } from '../../core/gateway/client';
import { GatewayError, type Credentials, type GatewayClient, type GatewayClientOptions } from '../../core/gateway/types';
import { syncThroughReader } from '../../core/sync/sync-through-reader';
import { RECOMMENDED_OVERLAP_SECONDS, type SyncResult } from '../../core/sync/sync-cache';
import { verifySource, type VerifySourceReport } from '../../core/sync/verify-source';
import { parseDuration } from '../../core/sync/windows';
import { CliError } from '../errors';
import { openCacheForCli } from '../open-cache';
import { readStdinSecret } from '../passphrase';
import { stopOnInterrupt } from '../interrupt';
import { progressLine } from '../progress';
import { watchLoop } from '../watch';

interface SyncCliOptions {
  gateway: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  passwordStdin?: boolean;
  cache: string;
  verifySource?: boolean;
  window: string;
  pageSize?: string;
  caFile?: string;
  watch?: boolean;
  interval: string;
  json?: boolean;
}

/**
 * `audit-review sync --gateway URL (--token T | --token-file F | --username U --password-stdin)
 * --cache DIR [--verify-source] [--window 1d]`. Runs in-process; Ctrl-C stops after the page in
 * flight and keeps everything committed (a second Ctrl-C exits at once — still safe).
 */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('Copy the audit logs this account may read from the gateway into the encrypted cache (incremental)')
    .requiredOption('--gateway <url>', 'gateway base URL')
    .option('--token <token>', 'access token (prefer --token-file: flags show up in ps)')
    .option('--token-file <file>', 'file holding the access token')
    .option('--username <name>', 'sign in with a username; the password is read from standard input')
    .option('--password-stdin', 'read the password from standard input')
    .requiredOption('--cache <dir>', 'cache folder (created on the first sync)')
    .option('--verify-source', 're-fetch every synced window and report records changed or vanished at the gateway')
    .option('--window <duration>', 'time window per request series (e.g. 1d, 6h)', '1d')
    .option('--page-size <n>', 'entries per page')
    .option('--ca-file <pem>', 'extra CA certificate to trust for HTTPS')
    .option('--watch', 'keep syncing and print new findings as they appear, until Ctrl-C')
    .option('--interval <duration>', 'pause between watch cycles (e.g. 30s, 5m)', '5m')
    .option('--json', 'with --watch: one JSON object per line (findings and cycle status)')
    .action(async (options: SyncCliOptions) => {
      const windowSeconds = parseOrUsage(() => parseDuration(options.window));
      const pageSize = options.pageSize === undefined ? undefined : Number(options.pageSize);
      if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) throw new CliError('--page-size must be a positive integer', 2);
      const gateway: GatewayClientOptions = {
        baseUrl: options.gateway,
        credentials: await credentialsFrom(options),
        ...(options.caFile ? { caPem: readFileSync(options.caFile, 'utf8') } : {}),
      };
      const client = createGatewayClient(gateway);
      const user = await signIn(client);
      const cache = await openCacheForCli(options.cache, { create: { gatewayUrl: options.gateway, userId: user.id, username: user.username } });
      try {
        if (options.watch) {
          const intervalSeconds = parseOrUsage(() => parseDuration(options.interval));
          await watchLoop(cache, client, { intervalSeconds, json: options.json === true, ...(pageSize ? { pageSize } : {}) });
        } else {
          await runSync(cache, client, windowSeconds, pageSize, options.verifySource === true);
        }
      } finally {
        cache.close();
      }
    });
}

async function runSync(cache: Cache, client: GatewayClient, windowSeconds: number, pageSize: number | undefined, fullVerify: boolean): Promise<void> {
  const interrupt = stopOnInterrupt('stopping after the current page (Ctrl-C again to quit now; committed work is kept)');
  const line = progressLine('sync');
  const now = () => Math.floor(Date.now() / 1000);
  let result: SyncResult;
  try {
    result = await syncThroughReader(client, {
      cache,
      now,
      windowSeconds,
      ...(pageSize ? { pageSize } : {}),
      // Re-read the last minutes before the cursor: late-committed entries and small clock skew.
      overlapSeconds: RECOMMENDED_OVERLAP_SECONDS,
      signal: interrupt.signal,
      onProgress: (p) => line.update(p.records, p.total, `window ${day(p.window.start)}`),
    });
  } finally {
    interrupt.dispose();
  }
  const counts = `${result.inserted} new, ${result.duplicates} already stored`;
  switch (result.outcome) {
    case 'complete':
      line.finish(`sync: complete, ${counts}; cache holds everything up to ${iso(result.syncedUntil)}`);
      break;
    case 'cancelled':
      line.finish(`sync: cancelled, ${counts}; run sync again to continue`);
      process.exitCode = 130;
      return;
    case 'unauthorized':
      line.finish(`sync: stopped, ${counts}`);
      throw new CliError(`the gateway no longer accepts these credentials (401): sign in again and re-run sync to continue where it stopped`);
    case 'forbidden':
      line.finish(`sync: stopped, ${counts}`);
      throw new CliError(`the gateway refused access to audit logs (403: ${result.error?.message}); the cache is marked access revoked`);
    default:
      line.finish(`sync: stopped, ${counts}`);
      throw new CliError(`sync failed: ${result.error?.message ?? 'unknown error'}; run sync again to continue (committed work is kept)`);
  }
  const drift = await verifySource({ cache, client, mode: fullVerify ? 'full' : 'sample', sampleWindows: 3, now, ...(pageSize ? { pageSize } : {}) });
  reportDrift(drift, fullVerify);
}

function reportDrift(drift: VerifySourceReport, full: boolean): void {
  const scope = full ? 'full source check' : 'sampled source check';
  if (drift.changed.length === 0 && drift.vanished.length === 0) {
    process.stderr.write(`${scope}: ${drift.recordsCompared} records in ${drift.windowsChecked} windows match the gateway\n`);
    return;
  }
  process.stderr.write(`${scope}: SOURCE DRIFT — ${drift.changed.length} records changed and ${drift.vanished.length} vanished at the gateway since they were synced\n`);
  for (const d of [...drift.changed, ...drift.vanished].slice(0, 20)) {
    process.stderr.write(`  ${d.id} (${iso(d.eventTime)}): ${d.gatewaySha256 ? 'changed' : 'vanished'}\n`);
  }
  process.exitCode = 1;
}

async function credentialsFrom(options: SyncCliOptions): Promise<Credentials> {
  const given = [options.token !== undefined, options.tokenFile !== undefined, options.username !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CliError('give exactly one of --token, --token-file, or --username with --password-stdin', 2);
  if (options.token !== undefined) return { kind: 'token', token: options.token };
  if (options.tokenFile !== undefined) return { kind: 'token', token: readFileSync(options.tokenFile, 'utf8').trim() };
  if (!options.passwordStdin) throw new CliError('--username needs --password-stdin (passwords are never taken as flags)', 2);
  return { kind: 'password', username: options.username!, password: await readStdinSecret() };
}

async function signIn(client: GatewayClient) {
  try {
    return await client.signIn();
  } catch (error) {
    if (error instanceof GatewayError) throw new CliError(`sign-in to ${client.baseUrl} failed: ${error.message}`);
    throw error;
  }
}

function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

const iso = (seconds: number | null) => (seconds === null ? 'nothing yet' : new Date(seconds * 1000).toISOString());
const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
