import type { DiffChange, JsonDiff } from '../../../preload/contract/history';
import { isPlainObject } from './json';

/**
 * A structural diff of two JSON values (request bodies), written here because no JSON diff library
 * is installed and the job is small: walk both values together and report, per path,
 * what was added, removed or changed.
 *
 * - Objects are compared key by key (keys in sorted order, so the output is stable).
 * - Arrays are compared index by index: inserting at the front shows as every later item
 *   changed, which is what an auditor reading "nodes[0].host" expects from a config file; a length
 *   change is also reported on its own.
 * - `undefined` stands for "no value at all" (a resource before its creation or after its
 *   deletion): diffing it against an object lists each top-level key as added or removed.
 * - Secrets were masked on ingest (`******`), so a changed password shows as no change.
 */
export const DIFF_MAX_CHANGES = 1000;

/** Deeper than this, values are compared whole (hostile bodies must not exhaust the stack). */
const MAX_DEPTH = 64;

type Segment = string | number;

export function diffJson(before: unknown, after: unknown, options: { maxChanges?: number } = {}): JsonDiff {
  const maxChanges = options.maxChanges ?? DIFF_MAX_CHANGES;
  const result: JsonDiff = { changes: [], lengthChanges: [], truncated: false };

  const push = (change: DiffChange): boolean => {
    if (result.changes.length >= maxChanges) {
      result.truncated = true;
      return false;
    }
    result.changes.push(change);
    return true;
  };

  const walk = (a: unknown, b: unknown, segments: Segment[]): boolean => {
    const at = () => ({ path: formatPath(segments), segments: [...segments] });
    if (segments.length < MAX_DEPTH && isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) {
        const inA = Object.hasOwn(a, key);
        const inB = Object.hasOwn(b, key);
        const child = [...segments, key];
        const ok = !inB
          ? push({ kind: 'removed', path: formatPath(child), segments: child, before: a[key] })
          : !inA
            ? push({ kind: 'added', path: formatPath(child), segments: child, after: b[key] })
            : walk(a[key], b[key], child);
        if (!ok) return false;
      }
      return true;
    }
    if (segments.length < MAX_DEPTH && Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) result.lengthChanges.push({ ...at(), before: a.length, after: b.length });
      const shared = Math.min(a.length, b.length);
      for (let i = 0; i < shared; i++) if (!walk(a[i], b[i], [...segments, i])) return false;
      for (let i = shared; i < b.length; i++) {
        const child = [...segments, i];
        if (!push({ kind: 'added', path: formatPath(child), segments: child, after: b[i] })) return false;
      }
      for (let i = shared; i < a.length; i++) {
        const child = [...segments, i];
        if (!push({ kind: 'removed', path: formatPath(child), segments: child, before: a[i] })) return false;
      }
      return true;
    }
    if (jsonEqual(a, b)) return true;
    return push({ kind: 'changed', ...at(), before: a, after: b });
  };

  if (before === undefined && after === undefined) return result;
  if (before === undefined) {
    if (isPlainObject(after)) walk({}, after, []);
    else push({ kind: 'added', path: '', segments: [], after });
  } else if (after === undefined) {
    if (isPlainObject(before)) walk(before, {}, []);
    else push({ kind: 'removed', path: '', segments: [], before });
  } else {
    walk(before, after, []);
  }
  return result;
}

/** `upstream.nodes[0].host`; keys that are not plain identifiers are quoted: `headers["x.y"]`. */
export function formatPath(segments: readonly Segment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Deep equality of JSON values, key order ignored; iterative, so depth cannot overflow the stack. */
function jsonEqual(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push([x[i], y[i]]);
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(yo, key)) return false;
      pending.push([xo[key], yo[key]]);
    }
  }
  return true;
}
