import { useState, type FormEvent } from 'react';
import type { FindingView } from '../../../../preload/contract';
import { call, errorMessage } from '../../api/api';
import { ruleTitle } from '../../lib/rules';

/**
 * Suppress a rule for what this finding shows (its operator, its only IP, event type or token).
 * A reason is required; suppressed findings stay visible under "show suppressed" and in exports.
 */
export function SuppressForm({ finding, onDone }: { finding: FindingView; onDone(): void }) {
  const only = (key: string) => {
    const values = finding.evidence[key];
    return Array.isArray(values) && values.length === 1 ? String(values[0]) : null;
  };
  const options = [
    finding.operator_id ? { key: 'operator_id', label: `operator ${finding.operator || finding.operator_id}`, value: finding.operator_id } : null,
    only('ips') ? { key: 'ip', label: `IP ${only('ips')}`, value: only('ips')! } : null,
    only('event_types') ? { key: 'event_type', label: `event ${only('event_types')}`, value: only('event_types')! } : null,
    only('token_names') ? { key: 'token_name', label: `token ${only('token_names')}`, value: only('token_names')! } : null,
  ].filter((o): o is { key: string; label: string; value: string } => o !== null);
  const [chosen, setChosen] = useState<string[]>(options.slice(0, 1).map((o) => o.key));
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const match = Object.fromEntries(options.filter((o) => chosen.includes(o.key)).map((o) => [o.key, o.value]));
    if (Object.keys(match).length === 0) return setError('Choose at least one thing to match.');
    try {
      await call('suppressions.add', {
        rule: finding.rule,
        match,
        reason,
        ...(days ? { expires_at: Math.floor(Date.now() / 1000) + Number(days) * 86400 } : {}),
      });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <form className="suppress-form" onSubmit={submit} aria-label={`Suppress ${ruleTitle(finding.rule)}`}>
      <fieldset>
        <legend className="small">Suppress “{ruleTitle(finding.rule)}” for</legend>
        {options.map((o) => (
          <label key={o.key} className="check small">
            <input type="checkbox" checked={chosen.includes(o.key)} onChange={() => setChosen(chosen.includes(o.key) ? chosen.filter((k) => k !== o.key) : [...chosen, o.key])} />
            {o.label}
          </label>
        ))}
      </fieldset>
      <label className="small">
        Reason (required)
        <input required value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. nightly ADC sync, approved in CHG-1234" />
      </label>
      <label className="small">
        Expires after (days, optional)
        <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
      {error && <p className="error small">{error}</p>}
      <button type="submit" disabled={!reason.trim()}>
        Suppress
      </button>
    </form>
  );
}
