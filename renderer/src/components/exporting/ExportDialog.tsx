import { useEffect, useState, type FormEvent } from 'react';
import type { ExportProgressPayload, Session } from '../../../../preload/contract';
import { call, errorMessage, on } from '../../api/api';
import { formatCount } from '../../lib/format';
import { useQueryStore } from '../../state/query-store';

type Format = 'csv' | 'json' | 'xlsx';
type Redaction = 'ip' | 'operator' | 'bodies';

/**
 * Exports the current filter as a signed package (.zip). Only offered when the account had the
 * gateway's export permission at the last contact. Shows progress, can be cancelled (no file is
 * left behind), and offers to verify the result.
 */
export function ExportDialog({ session, count, onVerify }: { session: Session; count: number; onVerify(path: string): void }) {
  const filter = useQueryStore((s) => s.filter);
  const [formats, setFormats] = useState<Format[]>(['csv', 'json']);
  const [redact, setRedact] = useState<Redaction[]>([]);
  const [outPath, setOutPath] = useState('');
  const [progress, setProgress] = useState<ExportProgressPayload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canExport = session.permissions?.exportAudits !== false;

  useEffect(() => {
    void call('app.info', {}).then((info) => {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      setOutPath((current) => current || `${info.dataDir}/audit-review-${stamp}.zip`);
    });
    void call('export.status', {}).then(setProgress);
    return on('export.progress', setProgress);
  }, []);

  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const start = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await call('export.start', { filter, formats, redact, outPath: outPath.trim() });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const running = progress !== null && ['preparing', 'records', 'xlsx', 'zip'].includes(progress.phase);
  return (
    <details className="menu" data-testid="export-menu">
      <summary>Export…</summary>
      <form className="menu-body wide" onSubmit={start} aria-label="Export signed package">
        {!canExport ? (
          <p className="error small" role="alert">
            This account did not have the gateway's export permission (iam:ExportAudits) at the last contact, so exports are not offered. Ask an administrator for it, then sign in again.
          </p>
        ) : (
          <>
            <p className="small">
              A signed package of the {formatCount(count)} records of the current filter, with their findings, annotations and the chain of custody.
            </p>
            <fieldset>
              <legend className="small">Formats</legend>
              {(['csv', 'json', 'xlsx'] as Format[]).map((f) => (
                <label key={f} className="check">
                  <input type="checkbox" checked={formats.includes(f)} onChange={() => setFormats(toggle(formats, f))} /> {f.toUpperCase()}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend className="small">Redact</legend>
              <label className="check">
                <input type="checkbox" checked={redact.includes('ip')} onChange={() => setRedact(toggle(redact, 'ip'))} /> IP addresses to /24
              </label>
              <label className="check">
                <input type="checkbox" checked={redact.includes('operator')} onChange={() => setRedact(toggle(redact, 'operator'))} /> pseudonymize operators
              </label>
              <label className="check">
                <input type="checkbox" checked={redact.includes('bodies')} onChange={() => setRedact(toggle(redact, 'bodies'))} /> drop request/response bodies
              </label>
            </fieldset>
            <label>
              Save as (absolute path of a new .zip)
              <input value={outPath} onChange={(e) => setOutPath(e.target.value)} spellCheck={false} />
            </label>
            <button type="submit" className="primary" disabled={running || formats.length === 0 || count === 0}>
              Export {formatCount(count)} records
            </button>
          </>
        )}
        {progress && progress.phase !== 'idle' && (
          <div role="status" data-testid="export-status">
            {running && (
              <div className="inline">
                <progress max={progress.total ?? undefined} value={progress.done} aria-label="Export progress" />
                <span className="small">
                  {progress.phase} {formatCount(progress.done)}
                  {progress.total ? ` / ${formatCount(progress.total)}` : ''}
                </span>
                <button type="button" onClick={() => void call('export.cancel', { jobId: progress.jobId ?? undefined })}>
                  Cancel
                </button>
              </div>
            )}
            {progress.phase === 'done' && progress.result && (
              <p className="small">
                Signed package written: {progress.path} ({formatCount(progress.result.recordCount)} records, key {progress.result.keyId.slice(0, 16)}…).{' '}
                <button type="button" className="link" onClick={() => onVerify(progress.path!)}>
                  Verify it
                </button>
              </p>
            )}
            {(progress.phase === 'failed' || progress.phase === 'cancelled') && <p className="error small">{progress.error ?? progress.phase}</p>}
          </div>
        )}
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
}
