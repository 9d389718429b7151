import { COLUMNS } from '../lib/columns';
import { useQueryStore } from '../state/query-store';

/** Show or hide columns; order is changed by dragging headers in the table. */
export function ColumnChooser() {
  const columns = useQueryStore((s) => s.columns);
  const setColumns = useQueryStore((s) => s.setColumns);
  const toggle = (id: string) => setColumns(columns.includes(id) ? columns.filter((c) => c !== id) : [...columns, id]);
  return (
    <details className="menu">
      <summary>Columns</summary>
      <fieldset className="menu-body">
        <legend className="visually-hidden">Visible columns</legend>
        {COLUMNS.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={columns.includes(c.id)} onChange={() => toggle(c.id)} disabled={c.id === 'event_time'} />
            {c.header}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
