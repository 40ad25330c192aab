/**
 * `npm run keyring:init -- <path>`: writes a new keyring (owner-only) for a production
 * deployment, refusing to overwrite an existing file. Prints the path and key id, never a key.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateKeyringFile } from '../vault/keyring.js';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: npm run keyring:init -- <path/to/keyring.json>\n');
  process.exit(2);
}
const file = path.resolve(target);
if (existsSync(file)) {
  process.stderr.write(`${file} exists already: a keyring is never overwritten (its keys are the only way to read the data)\n`);
  process.exit(1);
}
const keyring = generateKeyringFile();
writeFileSync(file, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
process.stdout.write(`Keyring written to ${file} (key-encryption key ${keyring.currentKekId}). Back it up now, apart from the database backups.\n`);
