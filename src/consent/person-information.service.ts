import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Action } from '../access/policy.types.js';
import { accessReportRows } from '../audit/audit-events.repository.js';
import { accessReportOf } from '../audit/audit-query.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { refuseCase } from '../cases/case-denial.js';
import { factsOf, loadCase, type CaseRecord } from '../cases/case.repository.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { asSystem } from '../database/territory-scope.js';
import { VaultService } from '../vault/vault.service.js';
import { consentRecordOf, consentStateOf, type ConsentRecord, type ConsentState } from './consent-record.js';
import { consentValidAt, standingOf } from './consent.js';
import { latestConsentWithId, type ConsentScopeEntry } from './consents.repository.js';
import { renderConsentReceipt, renderInformationLetter } from './person-documents.pdf.js';
import { checkedProposal, fullProposal, type ScopeEntry } from './proposal.js';
import { countFailure, failuresOf, storeTransparencyCode, throttleWait, transparencyCandidates } from './transparency.repository.js';

/** What the person reads on the transparency page: organisations, kinds of information, dates — never a name, never content. */
export interface TransparencyAnswer {
  reference: string;
  generatedAt: string;
  consent: {
    state: ConsentState | 'none';
    scope: ConsentScopeEntry[];
    informedAt: string | null;
    expiresAt: string | null;
    withdrawnAt: string | null;
  };
  accesses: {
    /** The organisation's name; null: the service itself (scheduled work). */
    organisation: string | null;
    sector: string | null;
    first: string;
    last: string;
    /** API.md's name for when: the latest access (the same instant as `last`). */
    at: string;
    classes: { class: string; first: string; last: string; count: number }[];
  }[];
  withdrawal: string;
  dpo: { name: string; contact: string };
}

const WITHDRAWAL =
  'Vous pouvez retirer votre accord à tout moment : dites-le à la personne qui vous accompagne, ou à la coordination de la cellule. Dès que c’est noté, plus rien n’est partagé.';

/** Where a client is counted: an IPv4 address, or the /64 of an IPv6 one. */
function addressBucket(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  return ip.toLowerCase().split(':').slice(0, 4).join(':');
}

/**
 * The person's side of the consent (issue 15, items 2 to 4): the information letter while their
 * consent is asked, the receipt with a new transparency code once it is given, the consent
 * record as ISO/IEC TS 27560 JSON, and the transparency page reached with the reference and the
 * code, without an account. Who may do each is access.yaml's; every one is written to the log.
 */
@Injectable()
export class PersonInformationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly vault: VaultService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The case and the caller's relations, once access.yaml permits the action (404 / 403 logged otherwise). */
  private async permitted(manager: EntityManager, viewer: RequestViewer, caseId: string, action: Action, requestId?: string) {
    const at = this.clock.now();
    const record = await loadCase(manager, caseId, viewer, at);
    const decision = record ? this.access.release(viewer, factsOf(record), at) : undefined;
    if (!record || !decision?.relations.length) return refuseCase(this.audit, viewer, action, caseId, Boolean(record), requestId);
    if (!this.access.relationsPermit(decision.relations, action)) {
      await this.log(viewer, record, action, 'deny', 'policy', requestId);
      const who = this.access.policy.permissions[action].relations.join(', ');
      throw AppError.forbidden(`Only these relations to the situation may do this (${action}): ${who}`);
    }
    return { record, relations: decision.relations, at };
  }

  private log(
    viewer: RequestViewer,
    record: CaseRecord,
    action: string,
    decision: 'allow' | 'deny',
    purpose: string,
    requestId?: string,
    classes: string[] = [],
    detail: Record<string, unknown> = {},
    manager?: EntityManager,
  ): Promise<void> {
    return this.audit.record(
      {
        actorId: viewer.userId,
        organisationId: viewer.organisationId,
        territoryId: record.territoryId,
        action,
        caseId: record.id,
        classes,
        decision,
        purpose,
        requestId,
        detail,
      },
      manager,
    );
  }

  /**
   * The information letter (PDF), while the person's consent is awaited: the scope the referrer
   * proposes (all the policies allow when none is given; a sector or class they do not allow is a
   * 400), the policy and the situation's reference, nothing else. The proposal is logged.
   */
  async informationLetter(
    viewer: RequestViewer,
    caseId: string,
    scope: ScopeEntry[] | undefined,
    requestId?: string,
  ): Promise<{ reference: string; pdf: Buffer }> {
    const policy = this.access.policy;
    // Checked before anything is read or logged: a malformed proposal says nothing about the situation.
    const proposal = scope ? checkedProposal(policy, scope) : fullProposal(policy);
    const { record, relations, at } = await this.permitted(this.dataSource.manager, viewer, caseId, 'case.information-letter', requestId);
    if (record.state !== 'awaiting_consent') {
      await this.log(viewer, record, 'case.information-letter', 'deny', 'state', requestId, [], { state: record.state });
      throw new AppError(
        'conflict',
        `The information letter is given while the person's consent is awaited (state awaiting_consent); this situation is ${record.state}`,
        {
          allowedStates: ['awaiting_consent'],
        },
      );
    }
    const pdf = await renderInformationLetter(policy, record.reference, proposal, at);
    await this.log(viewer, record, 'case.information-letter', 'allow', relations.join(','), requestId, ['meta'], { proposed: proposal });
    return { reference: record.reference, pdf };
  }

  /**
   * The receipt (PDF) of the consent in force, carrying a new transparency code: its keyed digest
   * replaces the previous one in the same transaction (the old code stops working), the code
   * itself is only printed. Logged without the code.
   */
  async consentReceipt(viewer: RequestViewer, caseId: string, requestId?: string): Promise<{ reference: string; pdf: Buffer }> {
    return this.dataSource.transaction(async (manager) => {
      const { record, relations, at } = await this.permitted(manager, viewer, caseId, 'case.consent-receipt', requestId);
      const consent = await latestConsentWithId(manager, record.id);
      if (!consent || !consentValidAt(standingOf(consent), at)) {
        await this.log(viewer, record, 'case.consent-receipt', 'deny', 'no_valid_consent', requestId);
        throw new AppError('conflict', 'A receipt is given for a consent that is granted and still valid: record the person’s consent (RECORD_CONSENT) first', {
          requires: 'valid_consent',
        });
      }
      const { code, digest } = this.vault.codes.mintTransparencyCode(record.id);
      await storeTransparencyCode(manager, { caseId: record.id, territoryId: record.territoryId, digest, issuedAt: at, issuedByUserId: viewer.userId });
      const pdf = await renderConsentReceipt(this.access.policy, {
        reference: record.reference,
        informedAt: consent.informedAt,
        recordedAt: consent.recordedAt,
        expiresAt: consent.expiresAt,
        scope: consent.scope,
        representative: consent.method === 'representative' ? (consent.representativeMeasure ?? 'mesure de protection') : null,
        code,
        transparencyUrl: `${this.config.mail.publicUrl}/app/transparence`,
        issuedAt: at,
      });
      await this.log(viewer, record, 'case.consent-receipt', 'allow', relations.join(','), requestId, ['consent'], { transparencyCode: 'replaced' }, manager);
      return { reference: record.reference, pdf };
    });
  }

  /** The latest consent as an ISO/IEC TS 27560 record (JSON): scope as classes × sectors, never a protected value. */
  async consentRecord(viewer: RequestViewer, caseId: string, requestId?: string): Promise<ConsentRecord> {
    const { record, relations, at } = await this.permitted(this.dataSource.manager, viewer, caseId, 'case.consent-record', requestId);
    const consent = await latestConsentWithId(this.dataSource.manager, record.id);
    if (!consent) {
      throw new AppError('conflict', 'No consent is recorded for this situation yet: the consent record exists once RECORD_CONSENT is sent', {
        requires: 'recorded_consent',
      });
    }
    await this.log(viewer, record, 'case.consent-record', 'allow', relations.join(','), requestId, ['consent']);
    return consentRecordOf(this.access.policy, consent, record.reference, at);
  }

  /**
   * The transparency page: with the reference and the code of the latest receipt, which
   * organisations read which classes of the record and when, the consent's scope and expiry, how
   * to withdraw. One answer for an unknown reference, a reference without a code and a wrong code
   * (no oracle); failures are counted per client and per reference (429 past the limit) and
   * logged, and so is every answer given.
   */
  async transparency(input: { reference: string; code: string }, ip: string, requestId?: string): Promise<TransparencyAnswer> {
    const reference = input.reference.trim().toUpperCase();
    const codes = this.vault.codes;
    const addressKey = codes.throttleKey('transparency-address', addressBucket(ip));
    const referenceKey = codes.throttleKey('transparency-reference', reference);
    // One client on one reference: only its first failure in the window counts on the reference.
    const pairKey = codes.throttleKey('transparency-pair', `${reference}\u0000${addressBucket(ip)}`);
    // policies/transparency.yaml: per client, and per reference counted once per client, in a fixed window.
    const { windowSeconds, clientMaxFailures, referenceMaxClients } = this.access.policy.transparency;
    return asSystem('transparency', async () => {
      const db = this.dataSource.manager;
      const wait = Math.max(
        await throttleWait(db, addressKey, windowSeconds, clientMaxFailures),
        await throttleWait(db, referenceKey, windowSeconds, referenceMaxClients),
      );
      if (wait > 0) throw AppError.retryLater('rate_limited', 'Too many wrong codes: try again later', wait);
      const candidates = await transparencyCandidates(db, reference);
      // The same work whether the reference exists or not: one digest at least, compared in constant time.
      const pool: { caseId: string; territoryId: string | null; reference: string; digest: Buffer | null }[] = candidates.length
        ? candidates
        : [{ caseId: '00000000-0000-0000-0000-000000000000', territoryId: null, reference, digest: null }];
      const matched = pool.find((c) => {
        const given = codes.transparencyDigest(c.caseId, input.code);
        return c.digest !== null && codes.sameDigest(given, c.digest);
      });
      const entry = { actorId: null, organisationId: null, action: 'transparency.read', requestId, classes: [] as string[] };
      // access.yaml `public`: the fact established here (the code matches) is what opens the page.
      const allowed = this.access.allowsPublic('transparency.read', { codeMatches: Boolean(matched?.territoryId) });
      if (!allowed || !matched?.territoryId) {
        const byAddress = await countFailure(db, addressKey, 'transparency_address', windowSeconds);
        const byPair = await countFailure(db, pairKey, 'transparency_pair', windowSeconds);
        const byReference =
          byPair === 1 ? await countFailure(db, referenceKey, 'transparency_reference', windowSeconds) : await failuresOf(db, referenceKey, windowSeconds);
        const target = candidates[0];
        await this.audit.record({
          ...entry,
          territoryId: target?.territoryId ?? null,
          caseId: target?.caseId ?? null,
          decision: 'deny',
          purpose: 'wrong_code',
          detail: {
            reference,
            failuresFromAddress: byAddress,
            clientsFailedOnReference: byReference,
            ...(byAddress === clientMaxFailures || (byPair === 1 && byReference === referenceMaxClients) ? { limitReached: true } : {}),
          },
        });
        throw AppError.notFound('A situation with this reference and this code');
      }
      const at = this.clock.now();
      const rows = await accessReportRows(db, { all: false, territoryIds: [matched.territoryId] }, matched.caseId);
      const report = accessReportOf(matched.caseId, rows, undefined, at);
      const consent = await latestConsentWithId(db, matched.caseId);
      const state: ConsentState | 'none' = consent ? consentStateOf(consent, at) : 'none';
      await this.audit.record({
        ...entry,
        territoryId: matched.territoryId,
        caseId: matched.caseId,
        decision: 'allow',
        purpose: this.access.policy.public['transparency.read'].fact,
        detail: { organisations: report.organisations.length },
      });
      return {
        reference: matched.reference,
        generatedAt: at.toISOString(),
        consent: {
          state,
          scope: state === 'given' ? (consent?.scope ?? []) : [],
          informedAt: consent?.informedAt.toISOString() ?? null,
          expiresAt: consent?.expiresAt?.toISOString() ?? null,
          withdrawnAt: consent?.withdrawnAt?.toISOString() ?? null,
        },
        accesses: report.organisations.map((o) => ({
          organisation: o.name,
          sector: o.sector,
          first: o.first,
          last: o.last,
          at: o.last,
          classes: o.classes.map((c) => ({ class: c.class, first: c.first, last: c.last, count: c.count })),
        })),
        withdrawal: WITHDRAWAL,
        dpo: { name: this.access.policy.dpo.name, contact: this.access.policy.dpo.contact },
      };
    });
  }
}
