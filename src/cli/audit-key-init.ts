/**
 * `npm run audit:key:init -- <path>`: writes a new audit signing key (owner-only) apart from the
 * keyring, refusing to overwrite an existing file. Prints the public key to trust (audit:verify
 * --public-key, CELLULE_AUDIT_PUBLIC_KEYS), never the seed.
 */
import path from 'node:path';
import { writeAuditKeyFile } from '../audit/audit-key.js';
import { AuditSigner } from '../audit/audit-signer.js';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: npm run audit:key:init -- <path/to/audit-signing.key>\n');
  process.exit(2);
}
const file = path.resolve(target);
try {
  const signer = await AuditSigner.fromSeed(writeAuditKeyFile(file));
  process.stdout.write(
    `Audit signing key written to ${file} (key id ${signer.keyId}). Point CELLULE_AUDIT_KEY to it on the servers, keep it apart from the keyring and the database.\n` +
      `Public key to trust when verifying: ${signer.publicKeyBase64}\n` +
      `Register it in the database (its purge function accepts only checkpoints this key signed): CELLULE_AUDIT_PUBLIC_KEYS=${signer.publicKeyBase64} npm run migrate\n`,
  );
} catch (error) {
  const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
  process.stderr.write(exists ? `${file} exists already: an audit signing key is never overwritten\n` : `audit-key-init: ${(error as Error).message}\n`);
  process.exit(1);
}
