/**
 * What the verifier accepts from a zip before refusing to read further. Our own packages stay
 * far below these; a zip bomb or a crafted archive trips them and is reported, not unpacked.
 * Nothing is extracted to disk: entries are streamed through hashes and parsers.
 */
export interface ZipLimits {
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio, checked for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 64,
  maxEntryBytes: 8 * 1024 ** 3,
  maxTotalBytes: 16 * 1024 ** 3,
  // Real CSV/JSON audit data deflates 5-20x; bombs deflate 1000x and more.
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

/**
 * Why a name is unsafe, or null. Zip slip ('../x', '/etc/x', 'C:\x') and names that differ only by
 * separators would let a careless unzip write outside its folder or shadow another file.
 */
export function unsafeNameReason(name: string): string | null {
  if (name === '') return 'empty name';
  if (name.includes('\u0000')) return 'NUL character in name';
  if (name.includes('\\')) return 'backslash in name';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive-letter path';
  if (name.split('/').some((part) => part === '..')) return 'parent-directory (..) segment (zip slip)';
  if (name.length > 255) return 'name longer than 255 characters';
  return null;
}
