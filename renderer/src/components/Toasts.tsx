import { useEffect, useState } from 'react';
import { on } from '../api/api';
import { ruleTitle } from '../lib/rules';
import { useQueryStore } from '../state/query-store';

interface Toast {
  id: number;
  level: 'info' | 'warning' | 'error';
  message: string;
  findingId?: string;
}

/**
 * In-app notices: new high-severity findings after a sync (click to open the finding) and warnings
 * from the main side. Electron additionally raises a desktop notification for findings.
 */
export function Toasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const setFilter = useQueryStore((s) => s.setFilter);

  useEffect(() => {
    let next = 1;
    const push = (toast: Omit<Toast, 'id'>) => {
      const id = next++;
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 15_000);
    };
    const offFindings = on('findings.new', ({ high }) => {
      if (high.length === 0) return;
      const first = high[0]!;
      push({
        level: 'warning',
        message: high.length === 1 ? `New high-severity finding — ${ruleTitle(first.rule)}: ${first.explanation}` : `${high.length} new high-severity findings, e.g. ${ruleTitle(first.rule)}: ${first.explanation}`,
        findingId: first.id,
      });
    });
    const offNotice = on('notice', (notice) => push(notice));
    return () => {
      offFindings();
      offNotice();
    };
  }, []);

  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.level}`}>
          <span>{t.message}</span>
          {t.findingId && (
            <button type="button" onClick={() => setFilter({ findingIds: [t.findingId!] })}>
              Open
            </button>
          )}
          <button type="button" aria-label="Dismiss" onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
