import { useEffect, useState, type FormEvent } from 'react';
import type { AnnotationTarget, TargetAnnotations } from '../../../../preload/contract';
import { reviewStatuses } from '../../../../preload/contract';
import { call, errorMessage } from '../../api/api';
import { formatTime } from '../../lib/format';
import { usePrefsStore } from '../../state/prefs-store';
import { useQueryStore } from '../../state/query-store';

/**
 * A reviewer's judgement next to the evidence: status, tags and comments on a record or finding,
 * with the full version history. Every change is a new version; nothing is overwritten.
 * Comment text is rendered as text, whatever it contains.
 */
export function AnnotationsSection({ target }: { target: AnnotationTarget }) {
  const [state, setState] = useState<TargetAnnotations | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [tag, setTag] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [showHistory, setShowHistory] = useState(false);
  const timeZone = usePrefsStore((s) => s.timeZone);
  const refreshTable = useQueryStore((s) => s.refresh);

  useEffect(() => {
    let live = true;
    setState(null);
    call('annotations.forTarget', { target })
      .then((s) => live && setState(s))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [target.kind, target.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    let live = true;
    void call('annotations.tags', { prefix: tag.trim(), limit: 10 }).then((list) => live && setSuggestions(list.map((t) => t.tag)));
    return () => {
      live = false;
    };
  }, [tag]);

  const apply = async (action: () => Promise<TargetAnnotations>) => {
    try {
      setState(await action());
      setError(null);
      refreshTable();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const addComment = (event: FormEvent) => {
    event.preventDefault();
    if (!comment.trim()) return;
    void apply(() => call('annotations.comment', { target, text: comment })).then(() => setComment(''));
  };
  const addTag = (event: FormEvent) => {
    event.preventDefault();
    if (!tag.trim()) return;
    void apply(() => call('annotations.tag', { target, tag: tag.trim() })).then(() => setTag(''));
  };

  if (!state) return <section className="annotations" aria-busy="true" aria-label="Annotations" />;
  const status = state.current.status?.value ?? 'unreviewed';
  const listId = `tag-suggestions-${target.kind}`;
  return (
    <section className="annotations" aria-label="Annotations" data-testid="annotations">
      <h3>Review</h3>
      <label className="inline">
        Status
        <select value={status} onChange={(e) => void apply(() => call('annotations.setStatus', { target, status: e.target.value as (typeof reviewStatuses)[number] }))}>
          {reviewStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {state.current.status && (
        <p className="muted small">
          set by {state.current.status.author}, {formatTime(state.current.status.updated_at, timeZone)}
        </p>
      )}
      <ul className="chips" aria-label="Tags">
        {state.current.tags.map((t) => (
          <li key={t.annotation_id} className="chip">
            <span>{t.value}</span>
            <button type="button" aria-label={`Remove tag ${t.value}`} onClick={() => void apply(() => call('annotations.untag', { target, tag: t.value }))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={addTag} className="inline-form" aria-label="Add tag">
        <input aria-label="New tag" list={listId} value={tag} onChange={(e) => setTag(e.target.value)} placeholder="add a tag" maxLength={64} />
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <button type="submit" disabled={!tag.trim()}>
          Tag
        </button>
      </form>
      <ul className="comments" aria-label="Comments">
        {state.current.comments.map((c) => (
          <li key={c.annotation_id}>
            <p className="comment-text">{c.value}</p>
            <p className="muted small">
              {c.author}, {formatTime(c.updated_at, timeZone)}
              {c.edited ? ' (edited)' : ''} ·{' '}
              <button type="button" className="link small" onClick={() => void apply(() => call('annotations.deleteComment', { annotationId: c.annotation_id }))}>
                delete
              </button>
            </p>
          </li>
        ))}
      </ul>
      <form onSubmit={addComment} aria-label="Add comment" className="comment-form">
        <textarea aria-label="New comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={10_000} placeholder="What did you conclude? What needs follow-up?" />
        <button type="submit" disabled={!comment.trim()}>
          Comment
        </button>
      </form>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="link small" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
        {showHistory ? 'Hide' : 'Show'} history ({state.history.length} versions)
      </button>
      {showHistory && (
        <ol className="history" aria-label="Annotation history">
          {state.history.map((v) => (
            <li key={v.version_id}>
              <span className="muted small">
                #{v.version_id} {formatTime(v.created_at, timeZone)} {v.author}
              </span>{' '}
              {v.deleted ? `removed ${v.kind}` : `${v.kind}: `}
              {!v.deleted && <span className="history-value">{v.value}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
