import type { JsonDiff } from '../../../../preload/contract';

/** A unified JSON diff: one line per added (+), removed (−) or changed (~) path. Values are text. */
export function DiffView({ diff }: { diff: JsonDiff }) {
  if (diff.changes.length === 0) return <p className="muted small">No change to the body.</p>;
  return (
    <ul className="diff" aria-label="Changes">
      {diff.changes.map((change, index) => (
        <li key={`${change.path}-${index}`} className={`diff-${change.kind}`}>
          <span className="diff-sign" aria-hidden="true">
            {change.kind === 'added' ? '+' : change.kind === 'removed' ? '−' : '~'}
          </span>
          <span className="visually-hidden">{change.kind}</span>
          <code className="diff-path">{change.path || '(whole body)'}</code>
          {change.kind === 'changed' && (
            <>
              <code className="diff-before">{asText(change.before)}</code>
              <span aria-hidden="true"> → </span>
              <span className="visually-hidden"> changed to </span>
              <code className="diff-after">{asText(change.after)}</code>
            </>
          )}
          {change.kind === 'added' && <code className="diff-after">{asText(change.after)}</code>}
          {change.kind === 'removed' && <code className="diff-before">{asText(change.before)}</code>}
        </li>
      ))}
      {diff.truncated && <li className="muted small">… more changes not shown</li>}
    </ul>
  );
}

export function asText(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 0);
}
