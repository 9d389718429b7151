import type { Protocol } from 'electron';
import { securityHeaders } from './core/security/csp';
import { readStaticFile } from './core/security/static-files';
import { APP_ORIGIN, APP_SCHEME } from './window-options';

/** The privileges app:// needs to behave like a secure web origin (fetch, CSP, storage). */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: true },
};

/**
 * Serves the built renderer from app://audit-review/, never file://, with the CSP header on every
 * response. Paths that try to leave the renderer folder get 404.
 */
export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return new Response('not found', { status: 404 });
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(file.body), { headers: { 'Content-Type': file.type, ...securityHeaders() } });
  });
}
