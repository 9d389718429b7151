import type { SafeStorage } from 'electron';
import type { KeyWrapper } from './core/cache/keys';

/**
 * Wraps the cache key with the OS keychain through Electron's safeStorage — but only when the
 * backend really is a keychain. On Linux without one, Electron falls back to `basic_text`, a
 * hard-coded key that protects nothing; then we return null and the passphrase alone guards the key.
 */
export function safeStorageKeyWrapper(safeStorage: SafeStorage): KeyWrapper | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text' || backend === 'unknown') return null;
  return {
    name: `safeStorage:${backend}`,
    wrap: (key: Buffer) => safeStorage.encryptString(key.toString('base64')),
    unwrap: (wrapped: Buffer) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
  };
}
