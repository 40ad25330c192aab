import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { refuseCase } from './case-denial.js';
import type { RequestViewer } from '../auth/viewer.js';
import { normaliseBirthDate } from '../vault/normalise.js';
import { normaliseNameForIndex } from '../vault/vault.js';
import { VaultError } from '../vault/vault-error.js';
import { VaultService } from '../vault/vault.service.js';

/**
 * Possible duplicates of a case, for the coordinator, without any name: candidates share the
 * truncated blind index; the server then confirms each by decrypting both identities itself (an
 * audited system access) and answers references only.
 */
@Injectable()
export class DuplicatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: VaultService,
    private readonly audit: AuditService,
  ) {}

  async find(viewer: RequestViewer, caseId: string, requestId?: string) {
    const [target] = await this.dataSource.query(`SELECT id, territory_id AS "territoryId", identity_index AS "index", reference FROM cases WHERE id = $1`, [
      caseId,
    ]);
    if (!target || target.territoryId !== viewer.territoryId) return refuseCase(this.audit, viewer, 'case.duplicates', caseId, Boolean(target), requestId);
    const candidates: { id: string; reference: string; state: string }[] = target.index
      ? await this.dataSource.query(`SELECT id, reference, state FROM cases WHERE territory_id = $1 AND identity_index = $2 AND id <> $3 ORDER BY created_at`, [
          target.territoryId,
          target.index,
          caseId,
        ])
      : [];
    const confirmed: { caseId: string; reference: string; state: string }[] = [];
    if (candidates.length) {
      const key = (f: Record<string, string> | undefined) =>
        f?.lastName && f.firstName && f.birthDate
          ? `${normaliseNameForIndex(f.lastName)}|${normaliseNameForIndex(f.firstName)}|${normaliseBirthDate(f.birthDate) ?? ''}`
          : null;
      const identityKey = async (id: string) => {
        try {
          return key((await this.vault.openFields(this.dataSource.manager, { territoryId: target.territoryId, caseId: id }, ['identity'])).identity);
        } catch (error) {
          // A crypto-shredded case has no identity any more: it can be neither compared nor reported.
          if (error instanceof VaultError && error.code === 'shredded') return null;
          throw error;
        }
      };
      const mine = await identityKey(caseId);
      for (const candidate of mine ? candidates : []) {
        if ((await identityKey(candidate.id)) === mine) confirmed.push({ caseId: candidate.id, reference: candidate.reference, state: candidate.state });
      }
    }
    await this.audit.record({
      actorId: null,
      organisationId: null,
      territoryId: target.territoryId,
      action: 'system.duplicates.confirm',
      caseId,
      classes: candidates.length ? ['identity'] : [],
      decision: 'allow',
      purpose: `duplicate check requested by coordinator ${viewer.userId}`,
      requestId,
      detail: { candidates: candidates.map((c) => c.id), confirmed: confirmed.map((c) => c.caseId) },
    });
    return { caseId, reference: target.reference, duplicates: confirmed };
  }
}
