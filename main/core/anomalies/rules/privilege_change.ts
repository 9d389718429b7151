import { PRIVILEGE } from '../flags';
import { quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';

/**
 * privilege_change — every successful event with the `privilege` flag. Medium; high when the
 * operator changes their own roles (resource_id = operator.id).
 */
interface Data {
  self: boolean;
  resourceId: string;
}

export function privilegeChange(env: RuleEnv): Rule {
  const rule: Rule = {
    id: 'privilege_change',
    state: {},
    push(e, ctx) {
      if (e.failed || (ctx.flags & PRIVILEGE) === 0) return;
      const self = e.resource_id !== '' && e.resource_id === e.operator_id;
      const g = openGroup<Data>(`operator:${e.operator_id}`, e, { self, resourceId: e.resource_id });
      addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
      env.close(rule, g as Group<unknown>);
    },
    sweep() {},
    openGroups: () => [],
    render(group) {
      const g = group as Group<Data>;
      const type = [...g.eventTypes][0] ?? '';
      const target = g.data.resourceId === '' ? '' : ` on ${g.data.resourceId}`;
      const explanation = g.data.self
        ? `${quote(g.operator)} changed their own privileges: ${type}${target} (resource is the operator's own user id)`
        : `${quote(g.operator)} changed privileges: ${type}${target} (every successful privilege change is reported)`;
      return groupToFinding('privilege_change', group, g.data.self ? 'high' : 'medium', explanation, {
        resource_id: g.data.resourceId,
        own_roles: g.data.self,
      });
    },
  };
  return rule;
}
