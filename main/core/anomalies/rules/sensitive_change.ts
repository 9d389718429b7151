import { AUDIT_CONFIG, SENSITIVE } from '../flags';
import { quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';

/**
 * sensitive_change — every successful event with the `sensitive` flag and not the `audit_config`
 * flag (those belong to audit_trail_tampering). Medium.
 */
export function sensitiveChange(env: RuleEnv): Rule {
  const rule: Rule = {
    id: 'sensitive_change',
    state: {},
    push(e, ctx) {
      if (e.failed || (ctx.flags & SENSITIVE) === 0 || (ctx.flags & AUDIT_CONFIG) !== 0) return;
      const g = openGroup(`operator:${e.operator_id}`, e, { resourceId: e.resource_id });
      addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
      env.close(rule, g as Group<unknown>);
    },
    sweep() {},
    openGroups: () => [],
    render(group) {
      const g = group as Group<{ resourceId: string }>;
      const type = [...g.eventTypes][0] ?? '';
      const target = g.data.resourceId === '' ? '' : ` on ${g.data.resourceId}`;
      const explanation = `${quote(g.operator)} made a sensitive change: ${type}${target} (credentials, certificates, secrets or system settings; every successful one is reported)`;
      return groupToFinding('sensitive_change', group, 'medium', explanation, { resource_id: g.data.resourceId });
    },
  };
  return rule;
}
