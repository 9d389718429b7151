import type { Handlers } from './dispatcher';
import type { QueryService } from '../query/query-service';
import { formatFilter, parseFilter } from '../query/filter-language';

/** The contract's query.* methods over the open cache's query service. */
export function createQueryHandlers(query: () => QueryService) {
  return {
    'query.page': ({ filter, sort, offset, limit }) => ({ rows: query().page(filter, sort, offset, limit), offset }),
    'query.count': ({ filter }) => ({ count: query().count(filter) }),
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
