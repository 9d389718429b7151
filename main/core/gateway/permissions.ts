/**
 * Audit permissions derived from what `/api/me` says about the user's roles. API7 roles carry
 * permission policies whose statements allow or deny actions; patterns may hold `<.*>` regex parts
 * (and we accept `*` globs). A deny wins over an allow. Super Admin may do everything.
 */
export const GET_AUDIT = 'iam:GetAudit';
export const EXPORT_AUDITS = 'iam:ExportAudits';

export interface DerivedPermissions {
  getAudit: boolean;
  exportAudits: boolean;
  /** False when the roles said nothing we can evaluate (plain role names): probe instead. */
  known: boolean;
}

interface Statement {
  effect: 'allow' | 'deny';
  actions: string[];
}

export function derivePermissions(user: Record<string, unknown>): DerivedPermissions {
  const statements: Statement[] = [];
  let superAdmin = false;
  const roles = Array.isArray(user.roles) ? user.roles : [];
  for (const role of roles) {
    if (typeof role === 'string') {
      if (isSuperAdmin(role)) superAdmin = true;
      continue;
    }
    if (!isRecord(role)) continue;
    if (isSuperAdmin(String(role.id ?? '')) || isSuperAdmin(String(role.name ?? ''))) superAdmin = true;
    collectStatements(role, statements);
    const policies = Array.isArray(role.policies) ? role.policies : Array.isArray(role.permission_policies) ? role.permission_policies : [];
    for (const policy of policies) if (isRecord(policy)) collectStatements(policy, statements);
  }
  collectStatements(user, statements);
  const allowed = (action: string): boolean => {
    let allow = superAdmin;
    for (const s of statements) {
      if (!s.actions.some((pattern) => actionMatches(pattern, action))) continue;
      if (s.effect === 'deny') return false;
      allow = true;
    }
    return allow;
  };
  return { getAudit: allowed(GET_AUDIT), exportAudits: allowed(EXPORT_AUDITS), known: superAdmin || statements.length > 0 };
}

/** Statements may sit under `statement`, `statements`, `policy.statement`, or as a flat `permissions` list. */
function collectStatements(holder: Record<string, unknown>, out: Statement[]): void {
  for (const key of ['statement', 'statements']) {
    const list = holder[key];
    if (!Array.isArray(list)) continue;
    for (const s of list) {
      if (!isRecord(s)) continue;
      const actions = Array.isArray(s.actions) ? s.actions.filter((a): a is string => typeof a === 'string') : typeof s.action === 'string' ? [s.action] : [];
      out.push({ effect: String(s.effect ?? 'allow').toLowerCase() === 'deny' ? 'deny' : 'allow', actions });
    }
  }
  if (isRecord(holder.policy)) collectStatements(holder.policy, out);
  if (Array.isArray(holder.permissions)) {
    const actions = holder.permissions.filter((a): a is string => typeof a === 'string');
    if (actions.length > 0) out.push({ effect: 'allow', actions });
  }
}

function isSuperAdmin(name: string): boolean {
  return /^super[\s_-]?admin$/i.test(name.trim());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const patternCache = new Map<string, RegExp>();

/** `<...>` parts of an API7 action pattern are regular expressions, `*` is a glob, the rest is literal. */
export function actionMatches(pattern: string, action: string): boolean {
  if (!pattern.includes('<') && !pattern.includes('*')) return pattern === action;
  let regex = patternCache.get(pattern);
  if (!regex) {
    let source = '';
    for (const part of pattern.split(/(<[^>]*>)/)) {
      if (part.startsWith('<') && part.endsWith('>')) source += part.slice(1, -1);
      else source += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    }
    try {
      regex = new RegExp(`^(?:${source})$`);
    } catch {
      regex = /$^/;
    }
    patternCache.set(pattern, regex);
  }
  return regex.test(action);
}
