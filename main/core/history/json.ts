/** A JSON object (not an array, not null): what request bodies usually are. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses a stored JSON column; a column that is NULL (no body was sent) gives null. */
export function parseStoredJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The cache stores canonical JSON, so this means a damaged row; show the text rather than fail.
    return text;
  }
}
