import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import type { RequestViewer } from '../auth/viewer.js';
import { casesSharingIndex, factsOf, identityIndexOf, loadCase } from './case.repository.js';
import { refuseCase } from './case-denial.js';
import { normaliseBirthDate } from '../vault/normalise.js';
import { normaliseNameForIndex } from '../vault/vault.js';
import { VaultError } from '../vault/vault-error.js';
import { locateForRefusal } from '../database/territory-scope.js';
import { VaultService } from '../vault/vault.service.js';

/** What one record knows of the person: the names, and the birth date, the year or only the age band (issue 12). */
export interface Known {
  names: string;
  date: string | null;
  year: string | null;
  ageBand: string | null;
}

export function knownOf(f: Record<string, string>, ageBand: string | null): Known {
  const birth = f.birthDate ?? null;
  const date = birth && birth.length > 4 ? normaliseBirthDate(birth) : null;
  return {
    names: `${normaliseNameForIndex(f.lastName)}|${normaliseNameForIndex(f.firstName)}`,
    date,
    year: birth ? birth.slice(0, 4) : null,
    ageBand,
  };
}

/**
 * The same person on what both records know: the same names, then the same date when both know
 * it, else the same year when both know one, else the same age band.
 */
export function samePerson(a: Known, b: Known): boolean {
  if (a.names !== b.names) return false;
  if (a.date && b.date) return a.date === b.date;
  if (a.year && b.year) return a.year === b.year;
  return a.ageBand !== null && a.ageBand === b.ageBand;
}

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
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async find(viewer: RequestViewer, caseId: string, requestId?: string) {
    const at = this.clock.now();
    // Another territory's case is hidden by row-level security: found again for the refusal's log (AccessService refuses it).
    const record = (await loadCase(this.dataSource, caseId, viewer, at)) ?? (await locateForRefusal(() => loadCase(this.dataSource, caseId, viewer, at)));
    if (!record) return refuseCase(this.audit, viewer, 'case.duplicates', caseId, false, requestId);
    await this.access.require(viewer, 'case.duplicates', { kind: 'case', id: caseId, ...factsOf(record) }, { requestId });
    const target = { territoryId: record.territoryId, reference: record.reference };
    const index = await identityIndexOf(this.dataSource, caseId);
    const candidates = index.full || index.names ? await casesSharingIndex(this.dataSource, { territoryId: target.territoryId, ...index, except: caseId }) : [];
    const confirmed: { caseId: string; reference: string; state: string }[] = [];
    let mine: Known | null = null;
    if (candidates.length) {
      const known = async (id: string, ageBand: string | null): Promise<Known | null> => {
        try {
          const f = (await this.vault.openFields(this.dataSource.manager, { territoryId: target.territoryId, caseId: id }, ['identity'])).identity;
          return f.lastName && f.firstName ? knownOf(f, ageBand) : null;
        } catch (error) {
          // A crypto-shredded case has no identity any more: it can be neither compared nor reported.
          if (error instanceof VaultError && error.code === 'shredded') return null;
          throw error;
        }
      };
      mine = await known(caseId, index.ageBand);
      for (const candidate of mine ? candidates : []) {
        const theirs = await known(candidate.id, candidate.ageBand);
        if (mine && theirs && samePerson(mine, theirs)) confirmed.push({ caseId: candidate.id, reference: candidate.reference, state: candidate.state });
      }
    }
    // Each candidate's identity was decrypted too: that access is written to the candidate's own
    // record as well, so that its person's access report shows it (GET /audit/access-report).
    const compared = mine ? candidates : [];
    await this.audit.recordMany([
      {
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
      },
      ...compared.map((candidate) => ({
        actorId: null,
        organisationId: null,
        territoryId: target.territoryId,
        action: 'system.duplicates.compare',
        caseId: candidate.id,
        classes: ['identity'],
        decision: 'allow' as const,
        purpose: `compared as a possible duplicate of ${target.reference}, at the request of coordinator ${viewer.userId}`,
        requestId,
        detail: { checkedCase: caseId },
      })),
    ]);
    return { caseId, reference: target.reference, duplicates: confirmed };
  }
}
