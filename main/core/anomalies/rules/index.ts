import type { RuleId } from '../rule-ids';
import type { RuleFactory } from '../rule';
import { auditTrailTampering } from './audit_trail_tampering';
import { bruteForce } from './brute_force';
import { dormantAccount } from './dormant_account';
import { loginAfterFailures } from './login_after_failures';
import { massDelete } from './mass_delete';
import { newNetwork } from './new_network';
import { offHours } from './off_hours';
import { permissionProbing } from './permission_probing';
import { privilegeChange } from './privilege_change';
import { sensitiveChange } from './sensitive_change';
import { tokenMultiIp } from './token_multi_ip';
import { volumeSpike } from './volume_spike';

export const RULE_FACTORIES: Record<RuleId, RuleFactory> = {
  brute_force: bruteForce,
  login_after_failures: loginAfterFailures,
  off_hours: offHours,
  new_network: newNetwork,
  privilege_change: privilegeChange,
  mass_delete: massDelete,
  sensitive_change: sensitiveChange,
  volume_spike: volumeSpike,
  dormant_account: dormantAccount,
  permission_probing: permissionProbing,
  token_multi_ip: tokenMultiIp,
  audit_trail_tampering: auditTrailTampering,
};
