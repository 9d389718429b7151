import type { GatewayClient } from '../gateway/types';
import { pageSourceFor } from './page-reader';
import { syncCache, type SyncOptions, type SyncResult } from './sync-cache';

/**
 * syncCache with the pages fetched and hashed on the reader thread (calling the gateway with
 * `client`'s token or sign-in session, which `client` renews for it) while this thread stores
 * them. The thread is closed whatever the outcome.
 */
export async function syncThroughReader(client: Pick<GatewayClient, 'shareConnection' | 'renewSharedSession'>, options: Omit<SyncOptions, 'pages' | 'client'>): Promise<SyncResult> {
  const pages = pageSourceFor(client, options.signal ? { signal: options.signal } : {});
  try {
    return await syncCache({ ...options, pages });
  } finally {
    await pages.close();
  }
}
