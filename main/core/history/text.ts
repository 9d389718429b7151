import type { ChangesAround, JsonDiff, ResourceHistory } from '../../../preload/contract/history';

/**
 * Plain-text renderings for terminals (the `history` and `around` commands). Everything that came
 * from a record is escaped first: a resource name holding control characters or bidi overrides
 * must not move the cursor or reorder what the auditor reads.
 */
const MAX_VALUE_CHARS = 200;

export function formatHistoryText(history: ResourceHistory): string[] {
  const lines: string[] = [];
  const names = history.names.length ? ` (${history.names.map(safe).join(', ')})` : '';
  lines.push(`Resource ${safe(history.resource_id)}${names}: ${history.total} change${history.total === 1 ? '' : 's'}`);
  if (history.truncated) lines.push(`(showing the latest ${history.changes.length}; older ones left out)`);
  for (const change of history.changes) {
    lines.push('');
    const status = change.status_code ? ` ${change.status_code}` : '';
    lines.push(
      `${isoTime(change.event_time)}  ${change.note.toUpperCase()}  ${safe(change.event_type)} by ${safe(change.operator)} from ${safe(change.ip_address || '-')}  [${safe(change.http_method || '-')}${status}]  ${safe(change.id)}`,
    );
    if (change.outcome === 'failed') {
      if (change.error_message) lines.push(`    error: ${safe(change.error_message)}`);
      lines.push('    not applied');
      continue;
    }
    if (change.partial) lines.push('    (state partly known: a PATCH with no earlier state in the cache)');
    if (change.diff === null) lines.push('    (no earlier state in the cache to compare with)');
    else lines.push(...formatDiffLines(change.diff).map((line) => `    ${line}`));
  }
  return lines;
}

/** `+ path: value`, `- path: value`, `~ path: before → after`, `# path: length a → b`. */
export function formatDiffLines(diff: JsonDiff): string[] {
  const lines: string[] = [];
  if (diff.changes.length === 0 && diff.lengthChanges.length === 0) return ['(no change to the body)'];
  for (const change of diff.changes) {
    const path = change.path === '' ? '(body)' : safe(change.path);
    if (change.kind === 'added') lines.push(`+ ${path}: ${valueText(change.after)}`);
    else if (change.kind === 'removed') lines.push(`- ${path}: ${valueText(change.before)}`);
    else lines.push(`~ ${path}: ${valueText(change.before)} → ${valueText(change.after)}`);
  }
  for (const length of diff.lengthChanges) {
    lines.push(`# ${length.path === '' ? '(body)' : safe(length.path)}: ${length.before} → ${length.after} items`);
  }
  if (diff.truncated) lines.push('… more changes not shown');
  return lines;
}

export function formatAroundText(around: ChangesAround): string[] {
  const lines: string[] = [];
  lines.push(
    `Configuration changes from ${isoTime(around.from)} to ${isoTime(around.to)} (${around.minutes} min either side of ${isoTime(around.time)}): ${around.total}, ${around.failed} failed`,
  );
  if (around.truncated) lines.push(`(listing the ${around.changes.length} nearest the moment)`);
  if (around.total === 0) return lines;

  lines.push('', 'By resource:');
  for (const group of around.by_resource) {
    const label = group.resource_name ? `${safe(group.resource_name)} (${safe(group.resource_id || '-')})` : safe(group.resource_id || '(no resource id)');
    lines.push(`  ${label}: ${group.count} change${group.count === 1 ? '' : 's'}${group.failed ? `, ${group.failed} failed` : ''} by ${group.operators.map(safe).join(', ')}`);
    for (const change of group.changes) lines.push(`    ${changeLine(change)}`);
  }
  lines.push('', 'By operator:');
  for (const group of around.by_operator) {
    lines.push(`  ${safe(group.operator)}: ${group.count} change${group.count === 1 ? '' : 's'}${group.failed ? `, ${group.failed} failed` : ''} on ${group.resources.length} resource${group.resources.length === 1 ? '' : 's'}`);
  }
  return lines;
}

function changeLine(change: ChangesAround['changes'][number]): string {
  const offset = change.offset_seconds;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.floor(Math.abs(offset) / 60);
  const seconds = Math.abs(offset) % 60;
  const relative = `${sign}${minutes}m${String(seconds).padStart(2, '0')}s`;
  const outcome = change.outcome === 'failed' ? `FAILED ${change.status_code}` : 'ok';
  return `${isoTime(change.event_time)} (${relative})  ${safe(change.event_type)} by ${safe(change.operator)} from ${safe(change.ip_address || '-')}  ${outcome}  ${safe(change.id)}`;
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function valueText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return safe(text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text);
}

function safe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
