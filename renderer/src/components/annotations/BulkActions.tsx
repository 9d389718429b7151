import { useEffect, useState, type FormEvent } from 'react';
import type { Output } from '../../../../preload/contract';
import { reviewStatuses } from '../../../../preload/contract';
import { call, errorMessage, on } from '../../api/api';
import { formatCount } from '../../lib/format';
import { useQueryStore } from '../../state/query-store';

type BulkResult = Output<'annotations.bulk'>;

/** Tag or set the status of every record the current filter matches, with progress, cancel and one undo. */
export function BulkActions({ count }: { count: number }) {
  const filter = useQueryStore((s) => s.filter);
  const refresh = useQueryStore((s) => s.refresh);
  const [mode, setMode] = useState<'tag' | 'status'>('tag');
  const [tag, setTag] = useState('');
  const [status, setStatus] = useState<(typeof reviewStatuses)[number]>('reviewed');
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState<{ batchId: string; done: number; total: number } | null>(null);
  const [last, setLast] = useState<BulkResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => on('annotations.progress', (p) => setProgress(p)), []);

  const run = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const action = mode === 'tag' ? { type: 'addTag' as const, tag: tag.trim() } : { type: 'setStatus' as const, status, ...(reason.trim() ? { reason: reason.trim() } : {}) };
      const result = await call('annotations.bulk', { target: { filter }, action });
      setLast(result);
      setMessage(`${result.cancelled ? 'Cancelled after' : 'Done:'} ${formatCount(result.affected)} of ${formatCount(result.total)} records changed.`);
      refresh();
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setProgress(null);
    }
  };
  const undo = async () => {
    if (!last) return;
    try {
      const result = await call('annotations.undo', { batchId: last.batchId });
      setMessage(`Undone: ${formatCount(result.restored)} restored${result.skipped ? `, ${formatCount(result.skipped)} changed since and left as they are` : ''}.`);
      setLast(null);
      refresh();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };

  return (
    <details className="menu" data-testid="bulk-menu">
      <summary>Bulk…</summary>
      <form className="menu-body" onSubmit={run} aria-label="Bulk annotate">
        <p className="small">Applies to all {formatCount(count)} records of the current filter.</p>
        <fieldset className="segmented">
          <legend className="visually-hidden">Action</legend>
          <label>
            <input type="radio" checked={mode === 'tag'} onChange={() => setMode('tag')} /> Add tag
          </label>
          <label>
            <input type="radio" checked={mode === 'status'} onChange={() => setMode('status')} /> Set status
          </label>
        </fieldset>
        {mode === 'tag' ? (
          <label>
            Tag
            <input value={tag} onChange={(e) => setTag(e.target.value)} maxLength={64} />
          </label>
        ) : (
          <>
            <label>
              Status
              <select value={status} onChange={(e) => setStatus(e.target.value as (typeof reviewStatuses)[number])}>
                {reviewStatuses.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label>
              Reason (kept as a comment)
              <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
            </label>
          </>
        )}
        <button type="submit" disabled={progress !== null || count === 0 || (mode === 'tag' && !tag.trim())}>
          Apply to {formatCount(count)} records
        </button>
        {progress && (
          <div className="inline">
            <progress max={progress.total} value={progress.done} aria-label="Bulk progress" />
            <button type="button" onClick={() => void call('annotations.cancelBulk', { batchId: progress.batchId })}>
              Cancel
            </button>
          </div>
        )}
        {message && <p className="small" role="status">{message}</p>}
        {last && !last.cancelled && (
          <button type="button" onClick={() => void undo()}>
            Undo this bulk action
          </button>
        )}
      </form>
    </details>
  );
}
