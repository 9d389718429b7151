import type { AnomalyEvent } from '../event';
import { AUDIT_CONFIG } from '../flags';
import { quote } from '../format';
import { addToGroup, groupToFinding, openGroup, type Group } from '../group';
import type { Rule, RuleEnv } from '../rule';

/**
 * audit_trail_tampering — any event with the `audit_config` flag (successful or not), or a 403 on
 * an audit-log URI (`auditUriPrefix`, default /api/audit_logs, including /export). High.
 */
interface Data {
  status: number;
  failed: boolean;
  uri: string;
  auditConfig: boolean;
  resourceId: string;
}

export function auditTrailTampering(env: RuleEnv): Rule {
  const prefix = env.config.rules.audit_trail_tampering.auditUriPrefix.replace(/\/+$/, '');
  const rule: Rule = {
    id: 'audit_trail_tampering',
    state: {},
    push(e, ctx) {
      const auditConfig = (ctx.flags & AUDIT_CONFIG) !== 0;
      if (!auditConfig && !(e.status_code === 403 && isAuditUri(e, prefix))) return;
      const g = openGroup<Data>(`operator:${e.operator_id}`, e, {
        status: e.status_code,
        failed: e.failed,
        uri: e.uri,
        auditConfig,
        resourceId: e.resource_id,
      });
      addToGroup(g as Group<unknown>, e, ctx.epoch, ctx.flags);
      env.close(rule, g as Group<unknown>);
    },
    sweep() {},
    openGroups: () => [],
    render(group) {
      const g = group as Group<Data>;
      const type = [...g.eventTypes][0] ?? '';
      const who = quote(g.operator);
      const explanation = g.data.auditConfig
        ? `${who} ${g.data.failed ? 'attempted' : 'performed'} ${type}${g.data.resourceId ? ` on ${g.data.resourceId}` : ''}, which changes the audit trail itself (status ${g.data.status})`
        : `${who} was denied (403) on ${g.data.uri}, the audit-log API (${type})`;
      return groupToFinding('audit_trail_tampering', group, 'high', explanation, {
        status_code: g.data.status,
        uri: g.data.uri,
        audit_config_event: g.data.auditConfig,
      });
    },
  };
  return rule;
}

function isAuditUri(e: AnomalyEvent, prefix: string): boolean {
  // Gateways log a path, but a full URL or a query string must not hide the match.
  const path = e.uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/, 1)[0]!;
  return path === prefix || path.startsWith(`${prefix}/`);
}
