import { useEffect, useState } from 'react';
import type { SavedView } from '../../../preload/contract';
import { call, errorMessage } from '../api/api';
import { useQueryStore } from '../state/query-store';

/** Save the current filter + columns + sort under a name, and reapply saved views. */
export function ViewsMenu() {
  const { filter, sort, columns, setFilter, setSort, setColumns } = useQueryStore();
  const [views, setViews] = useState<SavedView[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = () => void call('views.list', {}).then(setViews).catch(() => setViews([]));
  useEffect(load, []);

  const save = async () => {
    if (!name.trim()) return;
    try {
      await call('views.save', { name: name.trim(), filter, sort, columns });
      setName('');
      setError(null);
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const apply = (view: SavedView) => {
    setColumns(view.columns);
    setSort(view.sort);
    setFilter(view.filter);
  };

  return (
    <details className="menu" data-testid="views-menu">
      <summary>Views</summary>
      <div className="menu-body">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            Save current view as
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Q4 privilege changes" maxLength={120} />
          </label>
          <button type="submit" disabled={!name.trim()}>
            Save view
          </button>
        </form>
        {error && <p className="error">{error}</p>}
        <ul aria-label="Saved views">
          {views.map((view) => (
            <li key={view.id}>
              <button type="button" className="link" onClick={() => apply(view)}>
                {view.name}
              </button>
              <button type="button" aria-label={`Delete view ${view.name}`} onClick={() => void call('views.delete', { id: view.id }).then(load)}>
                ×
              </button>
            </li>
          ))}
          {views.length === 0 && <li className="muted small">No saved views yet.</li>}
        </ul>
      </div>
    </details>
  );
}
