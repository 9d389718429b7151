import { describe, expect, it } from 'vitest';
import { actionMatches, derivePermissions } from '../../../main/core/gateway/permissions';

describe('audit permissions from /api/me', () => {
  it('matches API7 action patterns', () => {
    expect(actionMatches('iam:GetAudit', 'iam:GetAudit')).toBe(true);
    expect(actionMatches('iam:GetAudit', 'iam:GetAuditX')).toBe(false);
    expect(actionMatches('<.*>', 'iam:GetAudit')).toBe(true);
    expect(actionMatches('iam:<.*>', 'iam:ExportAudits')).toBe(true);
    expect(actionMatches('gateway:Get<.*>', 'iam:GetAudit')).toBe(false);
    expect(actionMatches('iam:*', 'iam:GetAudit')).toBe(true);
    expect(actionMatches('iam:Get.Audit', 'iam:GetXAudit')).toBe(false);
  });

  it('derives from policies, with deny winning', () => {
    const role = (actions: string[], effect = 'allow') => ({ name: 'r', policies: [{ statement: [{ effect, actions, resources: ['*'] }] }] });
    expect(derivePermissions({ roles: [role(['iam:GetAudit'])] })).toEqual({ getAudit: true, exportAudits: false, known: true });
    expect(derivePermissions({ roles: [role(['<.*>']), role(['iam:ExportAudits'], 'deny')] })).toEqual({ getAudit: true, exportAudits: false, known: true });
    expect(derivePermissions({ roles: [{ name: 'Super Admin' }, role(['iam:GetAudit'], 'Deny')] }).getAudit).toBe(false);
  });

  it('understands super admin by name and flat permission lists; unknown otherwise', () => {
    expect(derivePermissions({ roles: ['super_admin'] })).toEqual({ getAudit: true, exportAudits: true, known: true });
    expect(derivePermissions({ roles: [{ id: 'x', permissions: ['iam:ExportAudits'] }] })).toEqual({ getAudit: false, exportAudits: true, known: true });
    expect(derivePermissions({ roles: ['Auditor'] }).known).toBe(false);
    expect(derivePermissions({}).known).toBe(false);
  });
});
