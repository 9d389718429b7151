import type { AnomalyEvent } from './event';

/**
 * The `records` columns an anomaly scan reads, as one SELECT list shared by every reader (the
 * single-connection scan and the reader threads), so both produce exactly the same events.
 * The canonical JSON is touched only for failed logins without an operator, whose attempted
 * username lives in the request body.
 */
export const SCAN_COLUMNS = `
  seq, id, event_time, operator_id,
  CASE WHEN operator_username = '' AND event_type = 'Login' AND failed = 1
    THEN coalesce(CAST(json_extract(canonical, '$.http_request.body.username') AS TEXT), '')
    ELSE operator_username END AS username,
  event_type, resource_id, ip_address, token_name, status_code, failed, http_uri`;

/** One row of SCAN_COLUMNS in `.raw()` mode. */
export type ScanRow = [
  seq: number,
  id: string,
  event_time: number,
  operator_id: string,
  username: string,
  event_type: string,
  resource_id: string,
  ip_address: string,
  token_name: string,
  status_code: number,
  failed: number,
  http_uri: string,
];

export function scanRowToEvent(row: ScanRow): AnomalyEvent {
  return {
    id: row[1],
    event_time: row[2],
    operator_id: row[3],
    username: row[4],
    event_type: row[5],
    resource_id: row[6],
    ip: row[7],
    token_name: row[8],
    status_code: row[9],
    failed: row[10] === 1,
    uri: row[11],
  };
}
