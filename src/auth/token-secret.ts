import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/config.js';

/** CELLULE_TOKEN_SECRET, or (development) a secret generated once into the data folder. */
export function resolveTokenSecret(config: AppConfig, log: (line: string) => void): Buffer {
  if (config.tokenSecret) return config.tokenSecret;
  const file = path.join(config.dataDir, 'token.secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('base64'), { mode: 0o600 });
  log(`generated a token-signing secret in ${file}; set CELLULE_TOKEN_SECRET to share one between replicas`);
  return secret;
}
