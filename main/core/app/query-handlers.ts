import type { Handlers } from './dispatcher';
import type { AsyncQueryService } from '../query/query-threads';
import { formatFilter, parseFilter } from '../query/filter-language';

/** The contract's query.* methods over the open cache's query threads. */
export function createQueryHandlers(query: () => AsyncQueryService) {
  return {
    'query.page': async ({ filter, sort, offset, limit }) => ({ rows: await query().page(filter, sort, offset, limit), offset }),
    'query.count': async ({ filter }) => ({ count: await query().count(filter) }),
    'query.record': ({ id }) => query().record(id),
    'query.facets': ({ filter, limit }) => query().facets(filter, limit),
    'query.histogram': ({ filter, buckets }) => query().histogram(filter, buckets),
    'query.heatmap': ({ filter, timezone, limit }) => query().heatmap(filter, timezone, limit),
    'query.parseFilter': ({ text }) => {
      const parsed = parseFilter(text);
      return parsed.ok ? { ok: true as const, filter: parsed.filter, text: formatFilter(parsed.filter) } : parsed;
    },
    'query.formatFilter': ({ filter }) => ({ text: formatFilter(filter) }),
  } satisfies Partial<Handlers>;
}
