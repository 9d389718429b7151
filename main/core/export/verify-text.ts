/**
 * VERIFY.txt: how to check the package without trusting our app. It is written before the
 * manifest (so the manifest can list it), hence it receives the data files' hashes explicitly.
 */
export function verifyInstructions(files: Array<{ path: string; sha256: string }>, keyId: string, packageId: string): string {
  const lines = [
    'HOW TO VERIFY THIS EVIDENCE PACKAGE',
    '===================================',
    '',
    `Package id: ${packageId}`,
    `Signer key id (sha256 of the DER public key): ${keyId}`,
    '',
    'Unzip the package into an empty folder, then, inside it:',
    '',
    '1. Check the signature over manifest.json (OpenSSL 3.0 or later):',
    '',
    '     openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in manifest.json -sigfile manifest.sig',
    '',
    '   It must print "Signature Verified Successfully". Then make sure signer.pub.pem is a key you',
    '   trust: compare its fingerprint with the one the exporter gave you:',
    '',
    '     openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum',
    '',
    '2. Check every file against the hashes listed in manifest.json ("files"). The same hashes:',
    '',
    '     sha256sum -c <<EOF',
    ...files.map((f) => `${f.sha256}  ${f.path}`),
    'EOF',
    '',
    '   (VERIFY.txt and signer.pub.pem are covered by manifest.json itself.)',
    '',
    '3. Or let Audit Review check everything, including the record count and the Merkle root:',
    '',
    '     audit-review verify <package>.zip [--trust signer.pub.pem]',
    '',
    'The Merkle root in manifest.json is an RFC 6962 tree over the records as exported:',
    'leaf = SHA-256(0x00 || canonical JSON of one record), node = SHA-256(0x01 || left || right),',
    'where canonical JSON sorts object keys and has no whitespace. records.json holds one record',
    'per line in that canonical form. A single record can be proven with',
    '`audit-review prove <package>.zip --record ID` and checked alone with `audit-review verify proof.json`.',
    '',
  ];
  return lines.join('\n');
}
