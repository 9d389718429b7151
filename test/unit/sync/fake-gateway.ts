import type { AuditLogPage, AuditLogQuery, GatewayClient } from '../../../main/core/gateway/types';
import { GatewayError } from '../../../main/core/gateway/types';
import type { AuditEntry } from '../../../main/core/records/entry';

/**
 * An in-memory gateway: filters by [start_at, end_at], sorts by (event_time, id) like API7's
 * asc order, pages from 1, may cap page_size, and lets a test inject failures before a call.
 */
export class FakeGateway implements Pick<GatewayClient, 'listAuditLogs'> {
  entries: AuditEntry[] = [];
  calls: AuditLogQuery[] = [];
  maxPageSize = 1000;
  /** Called before each listAuditLogs; may throw or mutate entries. */
  beforeCall: ((call: number, query: AuditLogQuery) => void) | null = null;

  constructor(entries: AuditEntry[] = []) {
    this.entries = [...entries];
  }

  async listAuditLogs(query: AuditLogQuery, signal?: AbortSignal): Promise<AuditLogPage> {
    if (signal?.aborted) throw new GatewayError('cancelled', 'cancelled');
    this.calls.push(query);
    this.beforeCall?.(this.calls.length, query);
    const matching = this.entries
      .filter((e) => (query.start_at === undefined || e.event_time >= query.start_at) && (query.end_at === undefined || e.event_time <= query.end_at))
      .sort((a, b) => a.event_time - b.event_time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (query.direction !== 'asc') matching.reverse();
    const size = Math.min(query.page_size ?? 20, this.maxPageSize);
    const page = query.page ?? 1;
    return { total: matching.length, list: matching.slice((page - 1) * size, page * size) };
  }
}
