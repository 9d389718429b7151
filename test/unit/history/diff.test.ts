import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffJson, formatPath } from '../../../main/core/history/diff';
import { applyMergePatch } from '../../../main/core/history/merge-patch';
import { formatDiffLines } from '../../../main/core/history/text';

const paths = (diff: ReturnType<typeof diffJson>) => diff.changes.map((c) => `${c.kind} ${c.path}`);

describe('diffJson', () => {
  it('reports added, removed and changed keys at nested paths', () => {
    const before = { name: 'payments', desc: 'old', upstream: { type: 'roundrobin', nodes: [{ host: '10.0.0.1', port: 80 }] }, plugins: { cors: {} } };
    const after = { name: 'payments', upstream: { type: 'roundrobin', nodes: [{ host: '10.0.0.2', port: 80 }], timeout: { connect: 5 } }, plugins: { cors: {}, 'limit-count': { count: 10 } } };
    const diff = diffJson(before, after);
    expect(diff.changes).toEqual([
      { kind: 'removed', path: 'desc', segments: ['desc'], before: 'old' },
      { kind: 'added', path: 'plugins.limit-count', segments: ['plugins', 'limit-count'], after: { count: 10 } },
      { kind: 'changed', path: 'upstream.nodes[0].host', segments: ['upstream', 'nodes', 0, 'host'], before: '10.0.0.1', after: '10.0.0.2' },
      { kind: 'added', path: 'upstream.timeout', segments: ['upstream', 'timeout'], after: { connect: 5 } },
    ]);
    expect(diff.lengthChanges).toEqual([]);
    expect(diff.truncated).toBe(false);
  });

  it('compares arrays by index and notes length changes', () => {
    const grown = diffJson({ paths: ['/a', '/b'] }, { paths: ['/a', '/c', '/d'] });
    expect(paths(grown)).toEqual(['changed paths[1]', 'added paths[2]']);
    expect(grown.lengthChanges).toEqual([{ path: 'paths', segments: ['paths'], before: 2, after: 3 }]);

    const shrunk = diffJson({ nodes: [{ h: 1 }, { h: 2 }, { h: 3 }] }, { nodes: [{ h: 1 }] });
    expect(shrunk.changes).toEqual([
      { kind: 'removed', path: 'nodes[1]', segments: ['nodes', 1], before: { h: 2 } },
      { kind: 'removed', path: 'nodes[2]', segments: ['nodes', 2], before: { h: 3 } },
    ]);
    expect(shrunk.lengthChanges).toEqual([{ path: 'nodes', segments: ['nodes'], before: 3, after: 1 }]);
  });

  it('treats a change of type as one change of the whole value', () => {
    expect(diffJson({ a: { x: 1 } }, { a: [1] }).changes).toEqual([{ kind: 'changed', path: 'a', segments: ['a'], before: { x: 1 }, after: [1] }]);
    expect(diffJson({ a: null }, { a: 0 }).changes).toHaveLength(1);
    expect(diffJson('x', { a: 1 }).changes).toEqual([{ kind: 'changed', path: '', segments: [], before: 'x', after: { a: 1 } }]);
  });

  it('finds nothing between equal values, whatever their key order', () => {
    expect(diffJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toEqual({ changes: [], lengthChanges: [], truncated: false });
  });

  it('lists every top-level key when a value appears or disappears (creation, deletion)', () => {
    expect(paths(diffJson(undefined, { name: 'r', paths: ['/'] }))).toEqual(['added name', 'added paths']);
    expect(paths(diffJson({ name: 'r' }, undefined))).toEqual(['removed name']);
    expect(diffJson(undefined, ['x']).changes).toEqual([{ kind: 'added', path: '', segments: [], after: ['x'] }]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['headers', 'x.y', 0, '200', 'a b'])).toBe('headers["x.y"][0]["200"]["a b"]');
    expect(paths(diffJson({ 'a.b': 1 }, { 'a.b': 2 }))).toEqual(['changed ["a.b"]']);
  });

  it('stops at its size limit and says so', () => {
    const before = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const diff = diffJson(before, {}, { maxChanges: 10 });
    expect(diff.changes).toHaveLength(10);
    expect(diff.truncated).toBe(true);
  });

  it('survives deeply nested hostile bodies without exhausting the stack', () => {
    let a: unknown = 1;
    let b: unknown = 2;
    for (let i = 0; i < 5000; i++) {
      a = { n: a };
      b = { n: b };
    }
    const diff = diffJson(a, b);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]!.segments.length).toBeLessThanOrEqual(64);
  });

  it('renders diffs as +/-/~ lines', () => {
    const diff = diffJson({ a: 1, b: 'x', list: [1] }, { a: 2, c: true, list: [1, 2] });
    expect(formatDiffLines(diff)).toEqual(['~ a: 1 → 2', '- b: "x"', '+ c: true', '+ list[1]: 2', '# list: 1 → 2 items']);
    expect(formatDiffLines(diffJson({}, {}))).toEqual(['(no change to the body)']);
  });

  // Property: applying the diff's changes to `before` (as merge-patch-free path edits) gives `after`.
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), tie('object'), tie('array')),
    object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
    array: fc.array(tie('value'), { maxLength: 4 }),
  }));
  it('replaying its changes on the old value yields the new value (property)', () => {
    fc.assert(
      fc.property(json.object, json.object, (before, after) => {
        const diff = diffJson(before, after);
        expect(applyDiff(before, diff)).toEqual(after);
      }),
      { numRuns: 300 },
    );
  });
});

describe('applyMergePatch (PATCH semantics)', () => {
  it('merges objects, removes keys set to null and replaces arrays whole', () => {
    const state = { name: 'r', desc: 'd', upstream: { nodes: [{ host: 'a' }, { host: 'b' }], timeout: { connect: 3, read: 3 } } };
    const patched = applyMergePatch(state, { desc: null, upstream: { nodes: [{ host: 'c' }], timeout: { read: 10 } }, labels: { env: 'prod' } });
    expect(patched).toEqual({ name: 'r', upstream: { nodes: [{ host: 'c' }], timeout: { connect: 3, read: 10 } }, labels: { env: 'prod' } });
    expect(state.desc).toBe('d');
    expect(state.upstream.nodes).toHaveLength(2);
  });

  it('a non-object patch replaces the state; an object patch onto nothing starts from {}', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
    expect(applyMergePatch(null, { a: { b: null, c: 1 } })).toEqual({ a: { c: 1 } });
  });

  it('keeps "__proto__" as data', () => {
    const patched = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(patched)).toBe(Object.prototype);
    expect(Object.keys(patched)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** Test-only inverse of diffJson: sets/deletes each path, then trims arrays to their new length. */
function applyDiff(before: unknown, diff: ReturnType<typeof diffJson>): unknown {
  const root = { v: structuredClone(before) } as Record<string, unknown>;
  const parentOf = (segments: (string | number)[]) => {
    let node: Record<string | number, unknown> = root;
    let key: string | number = 'v';
    for (const s of segments) {
      node = node[key] as Record<string | number, unknown>;
      key = s;
    }
    return { node, key };
  };
  for (const change of diff.changes) {
    const { node, key } = parentOf(change.segments);
    if (change.kind === 'removed') {
      if (!Array.isArray(node)) delete node[key];
    } else node[key] = change.after;
  }
  for (const length of diff.lengthChanges) {
    const { node, key } = parentOf(length.segments);
    (node[key] as unknown[]).length = length.after;
  }
  return root.v;
}
