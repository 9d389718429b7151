/** Human names for the anomaly rules, as the findings panel and settings show them. */
export const RULE_TITLES: Record<string, string> = {
  brute_force: 'Brute-force logins',
  login_after_failures: 'Login after failures',
  off_hours: 'Off-hours activity',
  new_network: 'New network',
  privilege_change: 'Privilege change',
  mass_delete: 'Mass deletion',
  sensitive_change: 'Sensitive change',
  volume_spike: 'Volume spike',
  dormant_account: 'Dormant account active',
  permission_probing: 'Permission probing',
  token_multi_ip: 'Token used from many IPs',
  audit_trail_tampering: 'Audit trail tampering',
};

export function ruleTitle(rule: string): string {
  return RULE_TITLES[rule] ?? rule;
}
