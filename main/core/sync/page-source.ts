import { entryToRow, type RecordRow } from '../cache/record-row';
import type { AuditLogQuery, GatewayClient } from '../gateway/types';

/** One page of the gateway's audit log, already in its stored form (masked, canonical, hashed). */
export interface RowPage {
  /** The gateway's count for the whole query (all pages). */
  total: number;
  rows: RecordRow[];
}

/**
 * Where syncCache gets its pages from. The sync only needs rows: whether the fetch, JSON parsing,
 * validation and hashing run on the writer's thread or on another one is the source's business.
 * Errors are the gateway client's (GatewayError with its kind) so sync outcomes stay the same.
 */
export interface PageSource {
  listRows(query: AuditLogQuery, signal?: AbortSignal): Promise<RowPage>;
}

/**
 * The page source's thread is gone (crashed, killed, out of memory). Pages committed before it
 * stay; the sync ends as 'failed' with this message.
 */
export class PageReaderStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PageReaderStopped';
  }
}

/** Reads and hashes pages on the calling thread: simple, and what tests and one-off callers use. */
export function inProcessPageSource(client: Pick<GatewayClient, 'listAuditLogs'>): PageSource {
  return {
    async listRows(query, signal) {
      const page = await client.listAuditLogs(query, signal);
      return { total: page.total, rows: page.list.map((entry) => entryToRow(entry)) };
    },
  };
}
