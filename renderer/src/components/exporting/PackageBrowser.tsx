import { useEffect, useState } from 'react';
import type { Output } from '../../../../preload/contract';
import { call, errorMessage } from '../../api/api';
import { formatCount, formatTime } from '../../lib/format';
import { usePrefsStore } from '../../state/prefs-store';

type Page = Output<'package.records'>;
const PAGE_SIZE = 100;

/** The records of a package, read-only and page by page, straight from the zip. Values are text. */
export function PackageBrowser({ path }: { path: string }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timeZone = usePrefsStore((s) => s.timeZone);

  useEffect(() => {
    let live = true;
    call('package.records', { path, offset, limit: PAGE_SIZE })
      .then((p) => live && setPage(p))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [path, offset]);

  if (error) return <p className="error">{error}</p>;
  if (!page) return <p className="muted small">Reading the package…</p>;
  const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  return (
    <section aria-label="Package records" data-testid="package-records">
      <p className="small">
        {formatCount(page.total)} records from {page.source ?? 'nowhere'} (read-only)
        {page.problems.length > 0 && <span className="error"> — {page.problems.join('; ')}</span>}
      </p>
      <table className="package-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Operator</th>
            <th scope="col">Event</th>
            <th scope="col">Resource</th>
            <th scope="col">IP</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {page.records.map((r, i) => {
            const operator = (r.operator ?? {}) as Record<string, unknown>;
            const response = (r.http_response ?? {}) as Record<string, unknown>;
            return (
              <tr key={`${text(r.id)}-${i}`}>
                <td>{typeof r.event_time === 'number' ? formatTime(r.event_time, timeZone) : text(r.event_time)}</td>
                <td>{text(operator.username) || text(operator.id)}</td>
                <td>{text(r.event_type)}</td>
                <td>{text(r.resource_name) || text(r.resource_id)}</td>
                <td>{text(r.ip_address)}</td>
                <td>{text(response.status_code)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="inline small">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          Previous
        </button>
        <span>
          {page.total === 0 ? 'none' : `${formatCount(offset + 1)}–${formatCount(Math.min(offset + PAGE_SIZE, page.total))} of ${formatCount(page.total)}`}
        </span>
        <button type="button" disabled={offset + PAGE_SIZE >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
          Next
        </button>
      </div>
    </section>
  );
}
