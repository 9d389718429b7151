/**
 * The gateway's CSV export, as we read it: one header row; top-level entry fields as columns
 * (`id`, `event_time`, `source`, ...); the nested objects `operator`, `http_request`,
 * `http_response` as one column holding JSON text, as dotted columns (`operator.username`,
 * `http_request.body`, ...), or flattened the way API7's export (and our demo gateway) writes
 * them (`operator_username`, `http_method`, `status_code`, `request_body`, ...). Body columns hold
 * JSON text; a value that does not parse as JSON is kept as the string it is.
 */
const NESTED = new Set(['operator', 'http_request', 'http_response']);
const JSON_LEAVES = new Set(['http_request.body', 'http_response.body']);
const FLAT_ALIASES: Record<string, string> = {
  operator_id: 'operator.id',
  operator_username: 'operator.username',
  operator_email: 'operator.email',
  operator_first_name: 'operator.first_name',
  operator_last_name: 'operator.last_name',
  http_method: 'http_request.method',
  http_uri: 'http_request.uri',
  user_agent: 'http_request.user_agent',
  request_body: 'http_request.body',
  status_code: 'http_response.status_code',
  response_body: 'http_response.body',
};

export function csvRowToRaw(row: Record<string, string>): { ok: true; raw: Record<string, unknown> } | { ok: false; error: string } {
  const raw: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const trimmed = column.trim();
    if (trimmed === '') continue;
    const name = FLAT_ALIASES[trimmed] ?? trimmed;
    if (NESTED.has(name)) {
      if (value.trim() === '') continue;
      try {
        raw[name] = JSON.parse(value);
      } catch {
        return { ok: false, error: `${name}: not valid JSON` };
      }
      continue;
    }
    const dot = name.indexOf('.');
    if (dot > 0 && NESTED.has(name.slice(0, dot))) {
      const parent = name.slice(0, dot);
      const child = name.slice(dot + 1);
      const holder = (raw[parent] ??= {}) as Record<string, unknown>;
      const leaf = JSON_LEAVES.has(name) ? parseJsonOrText(value) : value;
      if (leaf !== undefined) holder[child] = leaf;
      continue;
    }
    raw[name] = value;
  }
  return { ok: true, raw };
}

function parseJsonOrText(value: string): unknown {
  if (value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
