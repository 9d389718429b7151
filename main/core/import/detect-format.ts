/** The export formats `import` understands. */
export type ImportFormat = 'json-array' | 'json-list' | 'ndjson' | 'csv';

/**
 * Decides the format from the file's first bytes, not its name (people rename exports):
 * `[` → JSON array; `{` → one JSON document `{"list": [...]}` unless the first line is a complete
 * object without a `list` array, which makes it NDJSON; anything else → CSV.
 */
export function detectFormat(head: string): ImportFormat {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return 'json-array';
  if (!text.startsWith('{')) return 'csv';
  const firstLine = text.split(/\r?\n/, 1)[0]!;
  try {
    const first = JSON.parse(firstLine) as Record<string, unknown>;
    return Array.isArray(first.list) ? 'json-list' : 'ndjson';
  } catch {
    return 'json-list';
  }
}
