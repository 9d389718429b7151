import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const CHUNK = 1 << 20;

/**
 * Deletes a cache folder so its bytes do not linger: every file (cache.db, -wal, -shm, keys.json,
 * the unlock counter, anything else) is overwritten with random bytes and fsynced before it is
 * unlinked, then the folder goes. The data is encrypted anyway; this removes the wrapped key and
 * ciphertext from the disk blocks too. On copy-on-write or flash storage an overwrite may land on
 * new blocks, which is why the key file matters most: without it the ciphertext is unreadable.
 * Connections to the cache must be closed first.
 */
export function deleteCacheSecurely(dir: string): { filesOverwritten: number } {
  if (!existsSync(dir)) return { filesOverwritten: 0 };
  let filesOverwritten = 0;
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) {
        overwriteWithRandom(path, stat.size);
        unlinkSync(path);
        filesOverwritten++;
      } else unlinkSync(path); // a symlink: remove the link, never write through it
    }
  };
  walk(dir);
  rmSync(dir, { recursive: true, force: true });
  return { filesOverwritten };
}

function overwriteWithRandom(path: string, size: number): void {
  const fd = openSync(path, 'r+');
  try {
    for (let offset = 0; offset < size; offset += CHUNK) {
      const length = Math.min(CHUNK, size - offset);
      writeSync(fd, randomBytes(length), 0, length, offset);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
