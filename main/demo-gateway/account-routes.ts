import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, type DemoAccounts, type DemoUser, type TokenRecord } from './accounts';
import { authenticate, type GatewayContext, type Handler } from './context';
import { HttpError, parseCookies, readJsonBody, sendError, sendJson } from './http-util';
import { ownAuditEntry } from './own-audit';

/** The user as `/api/me` and `/api/login` describe it: roles carry their policies, so permissions can be derived. */
export function userView(accounts: DemoAccounts, user: DemoUser): Record<string, unknown> {
  const roles: unknown[] = accounts.rolesOf(user).map((role) => ({ id: role.id, name: role.name, built_in: role.built_in, policies: role.policies }));
  if (user.revoked.size > 0) {
    roles.push({
      id: `revoked-${user.id}`,
      name: 'Revoked permissions',
      built_in: false,
      policies: [{ id: `pp-revoked-${user.id}`, name: 'revoked', statement: [{ effect: 'deny', actions: [...user.revoked], resources: ['<.*>'] }] }],
    });
  }
  return { id: user.id, username: user.username, email: user.email, first_name: user.first_name, last_name: user.last_name, roles };
}

function requireUser(ctx: GatewayContext, req: IncomingMessage): { user: DemoUser; token?: TokenRecord; via?: string } {
  const auth = authenticate(ctx, req);
  if (!auth.ok) throw new HttpError(401, auth.reason);
  return auth;
}

export const login: Handler = async (ctx, req, res) => {
  const body = await readJsonBody(req);
  const username = typeof body.username === 'string' ? body.username : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (username === '' || password === '') throw new HttpError(400, 'username and password are required');
  const user = ctx.accounts.checkPassword(username, password);
  const attempted = { username, password };
  if (!user) {
    const error = 'invalid username or password';
    ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'Login', status: 401, error, body: attempted }));
    sendError(res, 401, error);
    return;
  }
  const session = ctx.accounts.startSession(user);
  ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'Login', status: 200, user, body: attempted, resourceId: user.id, resourceName: user.username }));
  sendJson(res, 200, { value: userView(ctx.accounts, user) }, { 'Set-Cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict` });
};

export const logout: Handler = (ctx, req, res) => {
  const { user, token } = requireUser(ctx, req);
  const session = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (session) ctx.accounts.endSession(session);
  ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'Logout', status: 200, user, token }));
  sendJson(res, 200, { value: {} }, { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` });
};

export const me: Handler = (ctx, req, res) => {
  const { user } = requireUser(ctx, req);
  sendJson(res, 200, { value: userView(ctx.accounts, user) });
};

function tokenView(t: TokenRecord): Record<string, unknown> {
  return { id: t.id, name: t.name, expires_at: t.expires_at, created_at: t.created_at, last_used_at: t.last_used_at };
}

export const createToken: Handler = async (ctx, req, res) => {
  const { user, token: via } = requireUser(ctx, req);
  const body = await readJsonBody(req);
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name === '') throw new HttpError(400, 'name is required');
  const expiresAt = body.expires_at === undefined ? 0 : Number(body.expires_at);
  if (!Number.isInteger(expiresAt) || expiresAt < 0) throw new HttpError(400, 'expires_at must be Unix seconds, or 0 for never');
  if (expiresAt !== 0 && expiresAt <= ctx.now()) throw new HttpError(400, 'expires_at must be in the future');
  const { record, value } = ctx.accounts.createToken(user, name, expiresAt);
  ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'CreateToken', status: 200, user, token: via, body: { name, expires_at: expiresAt }, resourceId: record.id, resourceName: name }));
  sendJson(res, 200, { value: { ...tokenView(record), token: value } });
};

export const listTokens: Handler = (ctx, req, res) => {
  const { user } = requireUser(ctx, req);
  const list = ctx.accounts.listTokens(user).map(tokenView);
  sendJson(res, 200, { total: list.length, list });
};

export const deleteToken = (id: string): Handler => (ctx, req, res) => {
  const { user, token: via } = requireUser(ctx, req);
  const token = ctx.accounts.findToken(user, id);
  if (!token || !ctx.accounts.deleteToken(user, id)) throw new HttpError(404, `no access token with id ${id}`);
  ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'DeleteToken', status: 200, user, token: via, resourceId: id, resourceName: token.name }));
  sendJson(res, 200, { value: {} });
};

export const regenerateToken = (id: string): Handler => (ctx, req, res) => {
  const { user, token: via } = requireUser(ctx, req);
  const value = ctx.accounts.regenerateToken(user, id);
  const token = ctx.accounts.findToken(user, id);
  if (value === undefined || !token) throw new HttpError(404, `no access token with id ${id}`);
  ctx.store.append(ownAuditEntry({ req, now: ctx.now(), eventType: 'RegenerateToken', status: 200, user, token: via, resourceId: id, resourceName: token.name }));
  sendJson(res, 200, { value: { ...tokenView(token), token: value } });
};
