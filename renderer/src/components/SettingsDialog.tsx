import { useEffect, useRef, useState } from 'react';
import type { KeysInfo, SuppressionView, WatchStatus } from '../../../preload/contract';
import { call, errorMessage } from '../api/api';
import { formatTime } from '../lib/format';
import { ruleTitle } from '../lib/rules';
import { usePrefsStore } from '../state/prefs-store';
import { useQueryStore } from '../state/query-store';

type Config = { timezone?: string; baselineDays?: number; rules?: Record<string, Record<string, number | string>> };

/** Thresholds of every anomaly rule, suppressions, the signing key and background sync. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const [config, setConfig] = useState<Config | null>(null);
  const [suppressions, setSuppressions] = useState<SuppressionView[]>([]);
  const [keys, setKeys] = useState<KeysInfo | null>(null);
  const [watch, setWatch] = useState<WatchStatus | null>(null);
  const [autoLock, setAutoLock] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timeZone = usePrefsStore((s) => s.timeZone);
  const close = useRef<HTMLButtonElement>(null);

  const load = () => {
    void call('anomalies.config', {}).then((c) => setConfig(c.config as Config));
    void call('suppressions.list', {}).then(setSuppressions);
    void call('keys.info', {}).then(setKeys).catch(() => setKeys(null));
    void call('watch.status', {}).then(setWatch);
    void call('session.autoLock', {}).then((r) => setAutoLock(r.minutes));
  };
  useEffect(() => {
    load();
    close.current?.focus();
  }, []);

  const setRuleValue = (rule: string, key: string, raw: string, wasNumber: boolean) => {
    if (!config) return;
    const value = wasNumber ? Number(raw) : raw;
    setConfig({ ...config, rules: { ...config.rules, [rule]: { ...config.rules?.[rule], [key]: value } } });
  };
  const save = async () => {
    if (!config) return;
    setBusy(true);
    setMessage(null);
    try {
      await call('anomalies.setConfig', { config });
      setMessage('Saved. Every rule ran again over the whole cache with the new settings.');
      useQueryStore.getState().refresh();
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const lift = async (s: SuppressionView) => {
    const reason = window.prompt(`Why lift the suppression “${s.reason}”?`);
    if (!reason) return;
    await call('suppressions.lift', { id: s.id, reason });
    load();
    useQueryStore.getState().refresh();
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="settings-title">
      <div className="overlay-card wide">
        <h2 id="settings-title">Settings</h2>

        <section aria-labelledby="rules-title">
          <h3 id="rules-title">Anomaly rules</h3>
          {config && (
            <div className="settings-grid">
              <label>
                Time zone for hours and days
                <input value={config.timezone ?? 'UTC'} onChange={(e) => setConfig({ ...config, timezone: e.target.value })} />
              </label>
              <label>
                Baseline days
                <input type="number" min={1} value={config.baselineDays ?? 28} onChange={(e) => setConfig({ ...config, baselineDays: Number(e.target.value) })} />
              </label>
              {Object.entries(config.rules ?? {}).map(([rule, params]) =>
                Object.keys(params).length === 0 ? null : (
                  <fieldset key={rule}>
                    <legend>{ruleTitle(rule)}</legend>
                    {Object.entries(params).map(([key, value]) => (
                      <label key={key} className="small">
                        {key}
                        <input
                          type={typeof value === 'number' ? 'number' : 'text'}
                          value={String(value)}
                          onChange={(e) => setRuleValue(rule, key, e.target.value, typeof value === 'number')}
                        />
                      </label>
                    ))}
                  </fieldset>
                ),
              )}
            </div>
          )}
          <button type="button" className="primary" disabled={busy || !config} onClick={() => void save()}>
            {busy ? 'Rescanning…' : 'Save and rescan'}
          </button>
          {message && (
            <p className="small" role="status">
              {message}
            </p>
          )}
        </section>

        <section aria-labelledby="supp-title">
          <h3 id="supp-title">Suppressions</h3>
          {suppressions.length === 0 && <p className="muted small">None. Suppress from a finding in the findings panel.</p>}
          <ul className="checks">
            {suppressions.map((s) => (
              <li key={s.id}>
                <strong>{ruleTitle(s.rule)}</strong> for {Object.entries(s.match).map(([k, v]) => `${k} ${v}`).join(', ')} — “{s.reason}” by {s.author},{' '}
                {formatTime(s.created_at, timeZone)}
                {s.expires_at ? `, until ${formatTime(s.expires_at, timeZone)}` : ''}{' '}
                <button type="button" className="link small" onClick={() => void lift(s)}>
                  lift
                </button>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="keys-title">
          <h3 id="keys-title">Signing key</h3>
          {keys ? (
            <>
              <p className="small">
                Packages are signed with Ed25519 key <code>{keys.short}</code> (SHA-256 fingerprint <code className="wrap">{keys.fingerprint}</code>).
              </p>
              <details>
                <summary className="small">Public key (give it to whoever verifies your packages)</summary>
                <pre className="json" tabIndex={0} aria-label="Public signing key (PEM)">
                  {keys.publicPem}
                </pre>
              </details>
              {keys.retired.length > 0 && <p className="muted small">{keys.retired.length} earlier key(s) kept for verifying older packages.</p>}
            </>
          ) : (
            <p className="muted small">Created with the first export.</p>
          )}
        </section>

        {watch && (
          <section aria-labelledby="watch-title">
            <h3 id="watch-title">Background sync</h3>
            <label className="check">
              <input type="checkbox" checked={watch.enabled} onChange={(e) => void call('watch.configure', { enabled: e.target.checked }).then(setWatch)} /> Sync in the background and
              raise a notification for new high-severity findings
            </label>
            <label className="inline small">
              every
              <input
                type="number"
                min={1}
                max={1440}
                value={watch.intervalMinutes}
                onChange={(e) => void call('watch.configure', { intervalMinutes: Math.max(1, Number(e.target.value) || 5) }).then(setWatch)}
                aria-label="Interval in minutes"
              />
              minutes
            </label>
          </section>
        )}

        {autoLock !== null && (
          <section aria-labelledby="lock-title">
            <h3 id="lock-title">Auto-lock</h3>
            <label className="inline small">
              Lock the cache after
              <input
                type="number"
                min={0}
                max={1440}
                value={autoLock}
                aria-label="Idle minutes before locking"
                onChange={(e) => void call('session.autoLock', { minutes: Math.max(0, Number(e.target.value) || 0) }).then((r) => setAutoLock(r.minutes))}
              />
              idle minutes (0 = never)
            </label>
          </section>
        )}

        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
