import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { actionMatches } from '../core/gateway/permissions';

/** A policy statement as API7 writes them: actions and resources may hold `<.*>` regex parts. */
export interface PolicyStatement {
  effect: 'allow' | 'deny';
  actions: string[];
  resources: string[];
}

export interface DemoRole {
  id: string;
  name: string;
  built_in: boolean;
  policies: Array<{ id: string; name: string; statement: PolicyStatement[] }>;
}

export interface DemoUser {
  id: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  roleIds: string[];
  /** Actions taken away from this user alone (tests revoke a permission mid-sync). */
  revoked: Set<string>;
  salt: Buffer;
  passwordHash: Buffer;
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  /** sha256 of the token value: the value itself is shown once and never stored. */
  hash: string;
  /** Unix seconds; 0 = never. */
  expires_at: number;
  created_at: number;
  last_used_at: number;
}

interface Session {
  userId: string;
  expiresAt: number;
}

export type AuthResult = { ok: true; user: DemoUser; token?: TokenRecord } | { ok: false; reason: string };

export const AUDIT_READ = 'iam:GetAudit';
export const AUDIT_EXPORT = 'iam:ExportAudits';

/** A session lasts this long (seconds) after sign-in. */
export const SESSION_TTL = 12 * 3600;
export const SESSION_COOKIE = 'api7-session';

const BUILT_IN_ROLES: DemoRole[] = [
  {
    id: 'super_admin',
    name: 'Super Admin',
    built_in: true,
    policies: [{ id: 'pp-super-admin', name: 'super-admin-permission-policy', statement: [{ effect: 'allow', actions: ['<.*>'], resources: ['<.*>'] }] }],
  },
  {
    id: 'auditor',
    name: 'Auditor',
    built_in: false,
    policies: [{ id: 'pp-audit-read', name: 'audit-read', statement: [{ effect: 'allow', actions: [AUDIT_READ, AUDIT_EXPORT], resources: ['arn:api7:iam:organization/*'] }] }],
  },
  {
    id: 'viewer',
    name: 'Viewer',
    built_in: true,
    policies: [{ id: 'pp-viewer', name: 'viewer-permission-policy', statement: [{ effect: 'allow', actions: ['gateway:Get<.*>', 'iam:GetUser', 'iam:GetRole'], resources: ['<.*>'] }] }],
  },
];

/** The demo accounts, printed at start and documented: username = password. */
export const DEMO_ACCOUNTS = [
  { username: 'admin', password: 'admin', role: 'super_admin', id: 'u-admin' },
  { username: 'auditor', password: 'auditor', role: 'auditor', id: 'u-auditor' },
  { username: 'viewer', password: 'viewer', role: 'viewer', id: 'u-viewer' },
] as const;

/**
 * Users, roles, sessions and access tokens of the demo gateway. Tokens and session ids are kept
 * only as sha256 hashes; passwords as scrypt hashes. The clock is injected (Unix seconds).
 */
export class DemoAccounts {
  private readonly users = new Map<string, DemoUser>();
  private readonly roles = new Map<string, DemoRole>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly sessions = new Map<string, Session>();
  private tokenCounter = 0;

  constructor(private readonly now: () => number) {
    for (const role of BUILT_IN_ROLES) this.roles.set(role.id, role);
    for (const account of DEMO_ACCOUNTS) this.addUser(account.id, account.username, account.password, [account.role]);
  }

  addUser(id: string, username: string, password: string, roleIds: string[]): DemoUser {
    const salt = randomBytes(16);
    const user: DemoUser = {
      id,
      username,
      email: `${username}@demo.example.com`,
      first_name: username.charAt(0).toUpperCase() + username.slice(1),
      last_name: 'Demo',
      roleIds,
      revoked: new Set(),
      salt,
      passwordHash: hashPassword(password, salt),
    };
    this.users.set(username, user);
    return user;
  }

  findUser(username: string): DemoUser | undefined {
    return this.users.get(username);
  }

  listUsers(): DemoUser[] {
    return [...this.users.values()];
  }

  checkPassword(username: string, password: string): DemoUser | undefined {
    const user = this.users.get(username);
    if (!user) return undefined;
    const candidate = hashPassword(password, user.salt);
    return timingSafeEqual(candidate, user.passwordHash) ? user : undefined;
  }

  /** A new session; returns the cookie value (only its hash is kept). */
  startSession(user: DemoUser): string {
    const value = randomBytes(32).toString('base64url');
    this.sessions.set(sha256(value), { userId: user.id, expiresAt: this.now() + SESSION_TTL });
    return value;
  }

  endSession(value: string): void {
    this.sessions.delete(sha256(value));
  }

  checkSession(value: string): AuthResult {
    const session = this.sessions.get(sha256(value));
    if (!session) return { ok: false, reason: 'the session is not valid (signed out or unknown); sign in again' };
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(sha256(value));
      return { ok: false, reason: 'the session has expired; sign in again' };
    }
    const user = this.userById(session.userId);
    if (!user) return { ok: false, reason: 'the user of this session no longer exists' };
    return { ok: true, user };
  }

  createToken(user: DemoUser, name: string, expiresAt = 0): { record: TokenRecord; value: string } {
    const value = newTokenValue();
    const now = Math.floor(this.now());
    const record: TokenRecord = {
      id: `tok-${String(++this.tokenCounter).padStart(4, '0')}`,
      userId: user.id,
      name,
      hash: sha256(value),
      expires_at: Math.floor(expiresAt),
      created_at: now,
      last_used_at: 0,
    };
    this.tokens.set(record.id, record);
    return { record, value };
  }

  listTokens(user: DemoUser): TokenRecord[] {
    return [...this.tokens.values()].filter((t) => t.userId === user.id);
  }

  findToken(user: DemoUser, id: string): TokenRecord | undefined {
    const token = this.tokens.get(id);
    return token && token.userId === user.id ? token : undefined;
  }

  deleteToken(user: DemoUser, id: string): boolean {
    if (!this.findToken(user, id)) return false;
    return this.tokens.delete(id);
  }

  /** A new value for an existing token; the old value stops working at once. */
  regenerateToken(user: DemoUser, id: string): string | undefined {
    const token = this.findToken(user, id);
    if (!token) return undefined;
    const value = newTokenValue();
    token.hash = sha256(value);
    return value;
  }

  checkToken(value: string): AuthResult {
    const hash = sha256(value);
    for (const token of this.tokens.values()) {
      if (token.hash !== hash) continue;
      if (token.expires_at > 0 && token.expires_at <= this.now()) return { ok: false, reason: 'the access token has expired; create a new one' };
      const user = this.userById(token.userId);
      if (!user) return { ok: false, reason: 'the owner of this access token no longer exists' };
      token.last_used_at = Math.floor(this.now());
      return { ok: true, user, token };
    }
    return { ok: false, reason: 'the access token is not valid (wrong, regenerated or deleted)' };
  }

  rolesOf(user: DemoUser): DemoRole[] {
    return user.roleIds.map((id) => this.roles.get(id)).filter((r): r is DemoRole => r !== undefined);
  }

  /** Whether the user may perform an action (super admin may do everything; deny wins; revocations apply). */
  can(user: DemoUser, action: string): boolean {
    if (user.revoked.has(action)) return false;
    let allowed = false;
    for (const role of this.rolesOf(user)) {
      for (const policy of role.policies) {
        for (const statement of policy.statement) {
          if (!statement.actions.some((pattern) => actionMatches(pattern, action))) continue;
          if (statement.effect === 'deny') return false;
          allowed = true;
        }
      }
    }
    return allowed;
  }

  revokePermission(username: string, action: string): void {
    const user = this.users.get(username);
    if (!user) throw new Error(`no demo user named ${username}`);
    user.revoked.add(action);
  }

  /** Removes the user; their sessions and tokens stop working (401). */
  deleteUser(username: string): void {
    const user = this.users.get(username);
    if (!user) return;
    this.users.delete(username);
    for (const [id, token] of this.tokens) if (token.userId === user.id) this.tokens.delete(id);
  }

  private userById(id: string): DemoUser | undefined {
    for (const user of this.users.values()) if (user.id === id) return user;
    return undefined;
  }
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `a7ee-` and 82 random base62 characters, like API7's tokens. */
function newTokenValue(): string {
  let out = 'a7ee-';
  while (out.length < 87) {
    for (const byte of randomBytes(96)) {
      if (byte < 248 && out.length < 87) out += BASE62[byte % 62];
    }
  }
  return out;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function hashPassword(password: string, salt: Buffer): Buffer {
  // Low cost on purpose: demo passwords, and tests sign in many times.
  return scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
}
