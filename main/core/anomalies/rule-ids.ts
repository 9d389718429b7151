/** Every rule the engine knows, in the order findings of equal time are listed. */
export const RULE_IDS = [
  'brute_force',
  'login_after_failures',
  'off_hours',
  'new_network',
  'privilege_change',
  'mass_delete',
  'sensitive_change',
  'volume_spike',
  'dormant_account',
  'permission_probing',
  'token_multi_ip',
  'audit_trail_tampering',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** Parses "a,b" (CLI --rules) into rule ids; the error names the unknown ones and the valid list. */
export function parseRuleList(text: string): RuleId[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isRuleId(n));
  if (unknown.length > 0) {
    throw new Error(`unknown anomaly rule(s): ${unknown.join(', ')}; valid rules are ${RULE_IDS.join(', ')}`);
  }
  return [...new Set(names)] as RuleId[];
}
