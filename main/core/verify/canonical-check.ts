/**
 * Tells, without parsing, whether UTF-8 bytes are already exactly what
 * canonicalJson(JSON.parse(text)) would write. The fast verifier uses it to hash bytes it already
 * has instead of decoding, parsing and re-serializing them. It is deliberately conservative:
 * `true` is a promise (the two texts are identical), `false` only means "not sure" and the caller
 * takes the exact, slow route.
 *
 * What canonical text looks like (records/canonical.ts): no whitespace; strings escaped as
 * JSON.stringify escapes them; numbers as JSON.stringify prints them; object keys in the order
 * V8 enumerates the sorted keys. That order is code-unit order except that array-index keys
 * ("0", "17") always come first, so any key starting with a digit is left to the slow route, as
 * are keys with escapes or non-ASCII characters (their order would need decoding to compare).
 *
 * The bytes must be valid UTF-8 (the caller checks whole batches): then no character outside
 * ASCII needs an escape, because the only ones JSON.stringify escapes, lone surrogates, cannot be
 * encoded in valid UTF-8.
 */

/** Deeper nesting goes the slow route (which reports its own stack limits as it always did). */
const MAX_DEPTH = 64;
/** Integers of up to 15 digits print back exactly as written (no rounding, no exponent). */
const MAX_PLAIN_DIGITS = 15;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Inside a string: 0 for bytes that stand for themselves, else what needs a closer look. */
const STRING_BYTE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_BYTE[c] = 1;
STRING_BYTE[QUOTE] = 1;
STRING_BYTE[BACKSLASH] = 1;
/** The same for keys, which must also be printable ASCII. */
const KEY_BYTE = STRING_BYTE.slice();
for (let c = 0x7f; c < 0x100; c++) KEY_BYTE[c] = 1;

/** True only when b[start, end) is certainly canonical JSON (see above). */
export function isCanonicalJson(b: Uint8Array, start: number, end: number): boolean {
  return start < end && scanValue(b, start, end, 0) === end;
}

/** Like isCanonicalJson, and the value is an object. */
export function isCanonicalJsonObject(b: Uint8Array, start: number, end: number): boolean {
  return start < end && b[start] === 0x7b && scanValue(b, start, end, 0) === end;
}

/** Index just past the value starting at i, or -1 when it is not certainly canonical. */
function scanValue(b: Uint8Array, i: number, end: number, depth: number): number {
  if (i >= end) return -1;
  const c = b[i];
  if (c === QUOTE) return scanString(b, i, end, false);
  if (c === 0x7b) return depth >= MAX_DEPTH ? -1 : scanObject(b, i, end, depth + 1);
  if (c === 0x5b) return depth >= MAX_DEPTH ? -1 : scanArray(b, i, end, depth + 1);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return scanNumber(b, i, end);
  if (c === 0x74) return matches(b, i, end, 'true');
  if (c === 0x66) return matches(b, i, end, 'false');
  if (c === 0x6e) return matches(b, i, end, 'null');
  return -1;
}

function matches(b: Uint8Array, i: number, end: number, word: string): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

/**
 * A string literal starting at the quote at i. JSON.stringify leaves every character raw except
 * '"', '\\' and controls below U+0020 (short escapes where they exist, else \u00xx in lowercase);
 * any other escape is "not sure". With `asKey`, only printable ASCII without escapes is accepted
 * (so keys compare as written).
 */
function scanString(b: Uint8Array, i: number, end: number, asKey: boolean): number {
  const special = asKey ? KEY_BYTE : STRING_BYTE;
  let j = i + 1;
  while (j < end) {
    const c = b[j];
    if (special[c] === 0) {
      j++;
      continue;
    }
    if (c === QUOTE) return j + 1;
    if (c !== BACKSLASH || asKey || j + 1 >= end) return -1; // a raw control character, or a key that is not plain
    const e = b[j + 1];
    if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      j += 2;
      continue;
    }
    if (e !== 0x75 || j + 6 > end || !isControlEscape(b, j + 2)) return -1;
    j += 6;
  }
  return -1;
}

/** "00xx" (lowercase hex) naming a control character that has no short escape. */
function isControlEscape(b: Uint8Array, at: number): boolean {
  if (b[at] !== 0x30 || b[at + 1] !== 0x30) return false;
  const hi = b[at + 2];
  const lo = b[at + 3];
  const loValue = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x61 + 10 : -1;
  if (loValue < 0 || (hi !== 0x30 && hi !== 0x31)) return false;
  const value = (hi - 0x30) * 16 + loValue;
  // \b \t \n \f \r have short forms, which JSON.stringify prefers.
  return value !== 0x08 && value !== 0x09 && value !== 0x0a && value !== 0x0c && value !== 0x0d;
}

/**
 * A number token. JSON.stringify(n) is String(n) for finite n, and every such string is a valid
 * JSON number that parses back to n: so the token is canonical exactly when String(Number(t)) is
 * t. Short integers without a leading zero (and not "-0") pass that test by construction.
 */
function scanNumber(b: Uint8Array, i: number, end: number): number {
  let j = i;
  let plainInteger = true;
  if (b[j] === 0x2d) j++;
  const firstDigit = j;
  while (j < end) {
    const c = b[j];
    if (c >= 0x30 && c <= 0x39) j++;
    else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) {
      plainInteger = false;
      j++;
    } else break;
  }
  const digits = j - firstDigit;
  if (plainInteger && digits > 0 && digits <= MAX_PLAIN_DIGITS && (b[firstDigit] !== 0x30 || (digits === 1 && firstDigit === i))) return j;
  let token = '';
  for (let k = i; k < j; k++) token += String.fromCharCode(b[k]);
  return String(Number(token)) === token ? j : -1;
}

function scanArray(b: Uint8Array, i: number, end: number, depth: number): number {
  let j = i + 1;
  if (j < end && b[j] === 0x5d) return j + 1;
  for (;;) {
    j = scanValue(b, j, end, depth);
    if (j < 0 || j >= end) return -1;
    const c = b[j];
    if (c === 0x5d) return j + 1;
    if (c !== 0x2c) return -1;
    j++;
  }
}

function scanObject(b: Uint8Array, i: number, end: number, depth: number): number {
  let j = i + 1;
  if (j < end && b[j] === 0x7d) return j + 1;
  let previousStart = -1;
  let previousEnd = -1;
  for (;;) {
    if (j + 1 >= end || b[j] !== QUOTE) return -1;
    const first = b[j + 1];
    if (first >= 0x30 && first <= 0x39) return -1; // maybe an array index: V8 would move it first
    const keyEnd = scanString(b, j, end, true);
    if (keyEnd < 0 || keyEnd >= end) return -1;
    // Keys strictly increasing also rules out duplicates (JSON.parse would keep only the last).
    if (previousStart >= 0 && !isBefore(b, previousStart, previousEnd, j + 1, keyEnd - 1)) return -1;
    previousStart = j + 1;
    previousEnd = keyEnd - 1;
    if (b[keyEnd] !== 0x3a) return -1;
    j = scanValue(b, keyEnd + 1, end, depth);
    if (j < 0 || j >= end) return -1;
    const c = b[j];
    if (c === 0x7d) return j + 1;
    if (c !== 0x2c) return -1;
    j++;
  }
}

/** b[a0, a1) < b[b0, b1) byte by byte (the same as code-unit order for ASCII). */
function isBefore(b: Uint8Array, a0: number, a1: number, b0: number, b1: number): boolean {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < n; k++) {
    const d = b[a0 + k] - b[b0 + k];
    if (d !== 0) return d < 0;
  }
  return a1 - a0 < b1 - b0;
}
