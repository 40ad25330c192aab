/**
 * The comparison servers of `npm run bench`: the same application from the same composition
 * root (src/composition.ts), with one safeguard replaced, to measure what it costs. Nothing here
 * is reachable from a production start: src/main.ts passes no variant.
 *
 *   audit-off       AuditService writes nothing (no entry per request, none in the transition)
 *   encryption-off  the vault seals and opens nothing: the same queries run, the bytes are stored
 *                   and answered as they are (no data-key unwrap, no AEAD)
 */
import { Injectable } from '@nestjs/common';
import { AuditService, type AuditEntry } from '../src/audit/audit.service.js';
import type { CoreOptions } from '../src/composition.js';
import type { Keyring } from '../src/vault/keyring.js';
import { Vault, type SealContext } from '../src/vault/vault.js';

export const BENCH_VARIANTS = ['main', 'audit-off', 'encryption-off'] as const;
export type BenchVariant = (typeof BENCH_VARIANTS)[number];

@Injectable()
class SilentAudit extends AuditService {
  override async recordMany(_entries: AuditEntry[]): Promise<void> {}

  override rowOf(_entry: AuditEntry): null {
    return null;
  }
}

class PlainVault extends Vault {
  static async plain(keyring: Keyring): Promise<Vault> {
    await Vault.create(keyring); // libsodium ready (key check values still use it)
    return new PlainVault(keyring);
  }

  override unwrapDataKey(): Uint8Array {
    return new Uint8Array(32);
  }

  override seal(_dataKey: Uint8Array, _ad: SealContext, plaintext: string): Buffer {
    return Buffer.from(plaintext, 'utf8');
  }

  override open(_dataKey: Uint8Array, _ad: SealContext, sealed: Uint8Array): string {
    return Buffer.from(sealed).toString('utf8');
  }
}

export function benchVariant(name: BenchVariant): CoreOptions['variant'] {
  switch (name) {
    case 'main':
      return undefined;
    case 'audit-off':
      return { providers: [{ provide: AuditService, useClass: SilentAudit }] };
    case 'encryption-off':
      return { vault: (keyring) => PlainVault.plain(keyring) };
  }
}
