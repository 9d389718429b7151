import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { VerifyReport } from '../../../../preload/contract';
import { call, errorMessage } from '../../api/api';
import { PackageBrowser } from './PackageBrowser';

/**
 * Verifies a signed package or a record proof: one line per check, the same report as
 * `audit-review verify`. The package is read where it lies; nothing in it is opened or run.
 */
export function VerifyDialog({ initialPath, onClose }: { initialPath: string; onClose(): void }) {
  const [path, setPath] = useState(initialPath);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const verify = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setReport(await call('verify.package', { path: path.trim() }));
    } catch (e) {
      setReport(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (initialPath) void verify();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="verify-title">
      <div className="overlay-card wide">
        <h2 id="verify-title">Verify a package</h2>
        <form onSubmit={verify} className="inline-form" aria-label="Verify package">
          <input ref={input} aria-label="Package or proof path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/package.zip" spellCheck={false} />
          <button type="submit" disabled={busy || !path.trim()}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
        </form>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {report && (
          <section aria-label="Verification report" data-testid="verify-report">
            <p className={report.ok ? 'ok-text' : 'error'}>
              <strong>{report.ok ? 'VERIFIED' : 'FAILED'}</strong> — {report.summary}
            </p>
            <ul className="checks">
              {report.checks.map((c) => (
                <li key={c.name} className={c.ok ? (c.warning ? 'warn' : 'ok') : 'fail'}>
                  <span className="check-state">{c.ok ? (c.warning ? 'warning' : 'ok') : 'FAILED'}</span> <strong>{c.name}</strong> <span className="check-detail">{c.detail}</span>
                </li>
              ))}
            </ul>
            {path.trim().toLowerCase().endsWith('.zip') && (
              <button type="button" onClick={() => setBrowsing(browsing ? null : path.trim())} aria-expanded={browsing !== null}>
                {browsing ? 'Close package' : 'Open package (read-only)'}
              </button>
            )}
          </section>
        )}
        {browsing && <PackageBrowser path={browsing} />}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
