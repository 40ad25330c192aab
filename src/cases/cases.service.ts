import { slicePage, type Page } from '../common/pagination.js';
import { MAX_TEXT_REVIEWS } from '../common/limits.js';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isProtected, readsHeldText, reviewsHeldTexts, type Decision, type Party, type Viewer, type WithheldReason } from '../access/access.js';
import { AccessService } from '../access/access.service.js';
import { IDENTITY_FIELDS, type DataClass, type Relation, type Role, type Sector } from '../access/policy.types.js';
import { accessReportRows } from '../audit/audit-events.repository.js';
import { accessReportOf, type AccessReport } from '../audit/audit-query.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import type { FieldClass } from '../vault/vault.js';
import { Vault } from '../vault/vault.js';
import { VaultError } from '../vault/vault-error.js';
import { VaultService } from '../vault/vault.service.js';
import { noteField, planActions } from '../action-plans/actions.repository.js';
import { REPORT_PREFIX, reportNoteField, type ExternalReport } from './events/record-external-report.js';
import { HOLD_REASON_FIELD, type HoldReason } from './events/suspend.js';
import { commissionInTerritory } from '../commissions/agenda.repository.js';
import { Clock } from '../common/clock.js';
import { consentValidAt, standingOf } from '../consent/consent.js';
import { latestConsent } from '../consent/consents.repository.js';
import { proposableScope, type Proposable } from '../consent/proposal.js';
import {
  caseHistory,
  factsOf,
  insertCase,
  listCandidates,
  loadCase,
  nextReference,
  organisationColleagues,
  rectificationEvents,
  type CaseRecord,
} from './case.repository.js';
import { mayTakeOver } from './events/hand-over.js';
import { initialCase } from './machine/decide.js';
import { columnsOf } from './projection.js';
import { refuseCase } from './case-denial.js';
import { readHeldTexts, type HeldText } from './case-text.js';
import { titleField } from './events/adopt-plan.js';
import type { CreateCaseDto, ListCasesQuery } from './dto/create-case.dto.js';
import {
  checkReferralTexts,
  contentOfNew,
  indexesOf,
  isPreviousField,
  REFERRAL_CLASSES,
  rectificationsOf,
  validateContent,
  type Rectification,
} from './referral.js';
import { WorkflowService } from './workflow.service.js';

export const CHILD_PROTECTION_NOTICE = {
  code: 'child_protection',
  message:
    'A minor lives in the household. A cellule is not a child-protection channel: if a child may be in danger, inform the departmental child-protection unit (CRIP), or call 119 in an emergency.',
};

export const EMERGENCY_POINTER =
  'A cellule de cas complexes is not an emergency service. For an emergency call 15 (SAMU) or 112, or the psychiatric emergency service of the hospital; for a child in danger call 119.';

/** Issue 12: an urgent referral is stored, and every answer about it carries the emergency pointer. */
export const EMERGENCY_NOTICE = { code: 'emergency', message: EMERGENCY_POINTER };

/** Issue 12: a minor person brings the child-protection pointer, like a minor in the household. */
export const MINOR_PERSON_NOTICE = {
  code: 'child_protection',
  message:
    'The person is a minor. A cellule is not a child-protection channel: if the child may be in danger, inform the departmental child-protection unit (CRIP), or call 119 in an emergency.',
};

/** The notices every answer about a case carries, from its clear categories. */
export function noticesOf(c: { minorInHousehold: boolean; ageBand: string | null; urgent: boolean }): { code: string; message: string }[] {
  return [...(c.urgent ? [EMERGENCY_NOTICE] : []), ...(c.ageBand === '0-17' ? [MINOR_PERSON_NOTICE] : c.minorInHousehold ? [CHILD_PROTECTION_NOTICE] : [])];
}

export interface CaseView {
  id: string;
  reference: string;
  state: string;
  version: number;
  allowedEvents: string[];
  /** The classes this caller received, in this answer. */
  released: DataClass[];
  /**
   * Present once the case was crypto-shredded: the released classes whose encrypted content was
   * destroyed. Protected classes listed here are absent from the answer (and from `released`);
   * `summary` keeps its clear categories, its free text is null.
   */
  erased?: DataClass[];
  /** Every class not in this answer, with the reason (access.ts WITHHELD_REASONS; never a value). */
  withheld: Partial<Record<DataClass, WithheldReason>>;
  relations: string[];
  /** Whether this viewer may read who accessed the situation (access.yaml, case.access-report). */
  mayReadAccesses: boolean;
  /** Whether this viewer gives the person their documents: the information letter, the consent receipt (access.yaml, case.information-letter). */
  mayInformPerson: boolean;
  /**
   * What the information letter may propose and a consent may cover (the policies: src/consent/
   * proposal.ts), for a viewer who prints the letter or records the consent: the boxes the
   * workspace draws, so that it never offers one the server refuses.
   */
  proposable?: Proposable;
  notices: { code: string; message: string }[];
  /**
   * For the referrer: texts written by someone who may not see the identity that name the person,
   * held (withheld from partners) until rewritten — the field, when, and the text.
   */
  textReviews?: { field: string; heldAt: Date; text: string | null }[];
  /** Issue 12: the rectifications, with the previous values of the classes (and fields) this viewer receives. */
  rectifications?: Rectification[];
  meta?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  identity?: Record<string, unknown>;
  social?: Record<string, string>;
  health?: Record<string, string>;
  plan?: Record<string, unknown>;
  consent?: Record<string, unknown>;
  externalReports?: (ExternalReport & { note: string | null })[];
}

/** The reports made elsewhere among the opened fields of the released classes, oldest first. */
function externalReportsOf(
  classes: Partial<Record<'social' | 'health', Record<string, string>>>,
  text: (cls: FieldClass, field: string) => string | null,
): (ExternalReport & { note: string | null })[] {
  const reports: (ExternalReport & { note: string | null })[] = [];
  for (const cls of ['social', 'health'] as const) {
    for (const [field, value] of Object.entries(classes[cls] ?? {})) {
      if (!field.startsWith(REPORT_PREFIX) || field.endsWith('_note')) continue;
      const report = JSON.parse(value) as ExternalReport;
      reports.push({ ...report, note: text(cls, reportNoteField(report.id)) });
    }
  }
  return reports.sort((a, b) => a.madeAt.localeCompare(b.madeAt) || a.recordedAt.localeCompare(b.recordedAt));
}

/** The fields of a class released to a viewer; the previous values a rectification kept are never among them. */
function pick(fields: Record<string, string> | undefined, allowed: 'all' | string[]): Record<string, string> {
  if (!fields) return {};
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !isPreviousField(k) && (allowed === 'all' || allowed.includes(k))));
}

@Injectable()
export class CasesService {
  private readonly logger = new Logger('cases');

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly vaultService: VaultService,
    private readonly vault: Vault,
    private readonly audit: AuditService,
    private readonly workflow: WorkflowService,
    private readonly clock: Clock,
  ) {}

  async create(viewer: RequestViewer, dto: CreateCaseDto, requestId?: string): Promise<CaseView> {
    await this.access.require(viewer, 'case.create', { kind: 'territory', territoryId: viewer.territoryId }, { requestId });
    if (!viewer.organisationId || !viewer.territoryId) throw AppError.forbidden('A referrer must belong to an organisation');
    const content = contentOfNew(dto);
    validateContent(content, this.clock.now());
    // The referrer writes the identity: every field of it is checked (refused, naming field and kind).
    checkReferralTexts(content);
    // The answer is built inside the creating transaction: a referral is either created and
    // answered, or not created at all (a retry after a 500 would otherwise duplicate it).
    return this.dataSource.transaction(async (m) => {
      if (!(await commissionInTerritory(m, dto.commissionId, viewer.territoryId!)))
        throw AppError.validation('commissionId', 'no such commission in your territory');
      const now = this.clock.now();
      const { snapshot } = initialCase();
      const indexes = indexesOf(this.vault, content.sealed.identity);
      const caseId = await insertCase(m, {
        territoryId: viewer.territoryId!,
        commissionId: dto.commissionId,
        reference: await nextReference(m, viewer.territoryId!, now.getUTCFullYear()),
        referrerUserId: viewer.userId,
        referrerOrganisationId: viewer.organisationId!,
        snapshot,
        columns: columnsOf(snapshot),
        summary: content.categories,
        identityIndex: indexes.full,
        nameIndex: indexes.names,
        at: now,
      });
      const ref = { territoryId: viewer.territoryId!, caseId };
      await this.vaultService.createCaseKey(m, ref.caseId);
      for (const cls of REFERRAL_CLASSES) {
        const fields = Object.fromEntries(Object.entries(content.sealed[cls]).filter(([, v]) => v !== null));
        if (Object.keys(fields).length) await this.vaultService.sealFields(m, ref, cls, fields);
      }
      const sealedClasses = REFERRAL_CLASSES.filter((cls) => Object.values(content.sealed[cls]).some((v) => v !== null));
      await this.audit.record(
        {
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: ref.territoryId,
          action: 'case.create',
          caseId: ref.caseId,
          classes: [...new Set(['identity', 'summary', ...sealedClasses])],
          decision: 'allow',
          purpose: 'referrer',
          requestId,
        },
        m,
      );
      return this.view(viewer, ref.caseId, requestId, m);
    });
  }

  /** The case as this viewer may see it; every answer is logged with the classes it released. */
  async view(viewer: RequestViewer, caseId: string, requestId?: string, manager: EntityManager = this.dataSource.manager): Promise<CaseView> {
    const at = this.clock.now();
    const record = await loadCase(manager, caseId, viewer, at);
    const decision = record ? this.access.release(viewer, factsOf(record), at) : undefined;
    if (!record || !decision?.relations.length) return refuseCase(this.audit, viewer, 'case.read', caseId, Boolean(record), requestId);
    const view = await this.render(manager, viewer, record, decision);
    await this.audit.record(
      {
        actorId: viewer.userId,
        organisationId: viewer.organisationId,
        territoryId: record.territoryId,
        action: 'case.read',
        caseId: record.id,
        classes: view.released,
        decision: 'allow',
        purpose: decision.relations.join(','),
        requestId,
        detail: decision.withheld.length ? { withheld: decision.withheld } : {},
      },
      manager,
    );
    return view;
  }

  /**
   * Builds the answer from the decision: only released classes are decrypted at all; the
   * organisations working with the person are named as far as this viewer may learn of them
   * (involvement); texts held because they name the person read as written only for their author
   * and the referrer (who gets them listed in `textReviews`).
   */
  async render(manager: EntityManager, viewer: Viewer, record: CaseRecord, decision: Decision): Promise<CaseView> {
    const { release, relations, withheld } = decision;
    let released = Object.keys(release) as DataClass[];
    const toOpen = released.filter((c) => isProtected(c) || c === 'summary') as FieldClass[];
    let opened = {} as Partial<Record<FieldClass, Record<string, string>>>;
    let erased: DataClass[] | undefined;
    if (toOpen.length) {
      try {
        opened = await this.vaultService.openFields(manager, { territoryId: record.territoryId, caseId: record.id }, toOpen);
      } catch (error) {
        if (!(error instanceof VaultError)) throw error;
        if (error.code !== 'shredded') {
          // Altered or moved ciphertext, missing or wrong key: never a fallback. The log gets the
          // vault's message (class, field, key id — never a value); the caller a fixed text.
          this.logger.error({ msg: 'protected data of a case cannot be opened', caseId: record.id, code: error.code, reason: error.message });
          throw new AppError(
            'internal',
            'The protected data of this case cannot be decrypted (integrity check failed or key unavailable); the incident was logged',
            { reason: error.code },
          );
        }
        // Crypto-shredded: the clear classes are answered as usual, the destroyed ones are named.
        erased = toOpen;
        released = released.filter((c) => !isProtected(c));
      }
    }
    const now = this.clock.now();
    const facts = factsOf(record);
    const sees = (party: Party) => this.access.involvementVisible(viewer, decision, facts, now, party);
    const held = record.hasHeldTexts
      ? await readHeldTexts(this.vaultService, manager, record, (author) => readsHeldText(decision, viewer.userId, author))
      : new Map<string, HeldText>();
    const view: CaseView = {
      id: record.id,
      reference: record.reference,
      state: record.state,
      version: record.version,
      allowedEvents: this.workflow.allowedEvents(record, relations as never),
      released,
      ...(erased ? { erased } : {}),
      withheld: Object.fromEntries<WithheldReason>([
        ...withheld.map((w): [DataClass, WithheldReason] => [w.cls, w.reason]),
        ...(erased ?? []).filter((c) => !released.includes(c)).map((c): [DataClass, WithheldReason] => [c, 'erased']),
      ]),
      relations,
      mayReadAccesses: this.access.relationsPermit(relations as Relation[], 'case.access-report'),
      mayInformPerson: this.access.relationsPermit(relations as Relation[], 'case.information-letter'),
      notices: noticesOf(record),
    };
    if (view.mayInformPerson || view.allowedEvents.includes('RECORD_CONSENT')) view.proposable = proposableScope(this.access.policy);
    if (release.meta) {
      view.meta = {
        territoryId: record.territoryId,
        commissionId: record.commissionId,
        referrerOrganisationId: sees({ organisationId: record.referrerOrganisationId, sector: record.referrerSector }) ? record.referrerOrganisationId : null,
        sessionId: record.sessionId,
        anonymousReview: record.anonymousReview,
        urgent: record.urgent,
        planAgreement: record.snapshot.context.planAgreement ?? null,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        followUpAt: record.followUpAt,
        closedAt: record.closedAt,
        closure: record.closure,
        outcome: record.outcome,
      };
    }
    /** A sealed text, or its held version: the text for who may read it, else null. */
    const text = (cls: FieldClass, field: string): string | null => {
      const hold = held.get(field);
      return hold ? hold.text : (opened[cls]?.[field] ?? null);
    };
    if (release.summary) {
      const summary = opened.summary ?? {};
      const rejected = summary.rejectReason !== undefined || held.has('rejectReason');
      view.summary = {
        ageBand: record.ageBand,
        district: record.district,
        household: record.household,
        problems: record.problems,
        partnersInvolved: record.partnersInvolved.filter((sector) => sees({ organisationId: null, sector: sector as Sector })),
        minorInHousehold: record.minorInHousehold,
        urgent: record.urgent,
        question: summary.question ?? null,
        narrative: summary.narrative ?? null,
        alreadyTried: summary.alreadyTried ?? null,
        expectations: summary.expectations ?? null,
        ...(rejected ? { rejectReason: text('summary', 'rejectReason'), suggestedOrientation: text('summary', 'suggestedOrientation') } : {}),
        ...(summary.sendBackReason !== undefined || held.has('sendBackReason') ? { sendBackReason: text('summary', 'sendBackReason') } : {}),
      };
    }
    for (const cls of ['identity', 'social', 'health'] as const) {
      const allowed = release[cls];
      if (!allowed || erased) continue;
      // Reports made elsewhere are sealed in their kind's class but answered apart (externalReports).
      const fields = Object.fromEntries(Object.entries(opened[cls] ?? {}).filter(([field]) => !field.startsWith(REPORT_PREFIX)));
      view[cls] = pick(fields, cls === 'identity' && allowed === 'all' ? [...IDENTITY_FIELDS] : allowed);
      // Issue 12: the holders of parental authority of a minor person, to whom the whole identity goes.
      if (cls === 'identity' && allowed === 'all' && opened.identity?.parentalAuthority)
        view.identity!.parentalAuthority = JSON.parse(opened.identity.parentalAuthority) as unknown;
    }
    if (!erased && Object.keys(opened).length) {
      const allowedField = (cls: string, field: string): boolean => {
        const allowed = release[cls as DataClass];
        if (!allowed) return false;
        if (cls === 'identity' && allowed !== 'all') return (allowed as string[]).includes(field);
        return true;
      };
      const rectifications = rectificationsOf(opened, allowedField, await rectificationEvents(manager, record.id));
      if (rectifications.length) view.rectifications = rectifications;
    }
    const reports = erased
      ? []
      : externalReportsOf({ social: release.social ? opened.social : undefined, health: release.health ? opened.health : undefined }, text);
    if (reports.length) view.externalReports = reports;
    if (view.health) {
      // A closing outcome in free text is released like health (before issue 10 it was sealed with
      // the summary: such a text still reads here, to whom health goes).
      const outcome = held.has('outcomeText') ? held.get('outcomeText')!.text : (opened.health?.outcomeText ?? opened.summary?.outcomeText ?? null);
      if (outcome) view.health.outcomeText = outcome;
      else delete view.health.outcomeText;
    }
    if (release.plan) {
      const actions = (await planActions(manager, record.id, now)).filter((a) => sees({ organisationId: a.ownerOrganisationId, sector: a.ownerSector }));
      // The notes' texts and the reason of a hold are sealed with the plan (class plan).
      const sealed = actions.some((a) => a.notes.length) || record.state === 'suspended' ? await this.openPlan(manager, record) : {};
      const planText = (field: string): string | null => {
        const hold = held.get(field);
        return hold ? hold.text : (sealed[field] ?? null);
      };
      view.plan = {
        followUpAt: record.followUpAt,
        actions: actions.map(({ ownerSector: _sector, notes, ...a }) => {
          const title = held.get(titleField(a.id));
          return {
            ...a,
            ...(title?.text ? { title: title.text } : {}),
            notes: notes.map((n) => ({
              n: n.n,
              at: n.at,
              authorUserId: n.authorUserId,
              text: planText(noteField(a.id, n.n)),
              held: held.has(noteField(a.id, n.n)),
            })),
          };
        }),
      };
      const hold = record.snapshot.context.hold;
      if (record.state === 'suspended' && hold) {
        view.plan.hold = { mode: hold.mode, since: hold.since, reason: (sealed[HOLD_REASON_FIELD] as HoldReason | undefined) ?? null };
      }
    }
    if (release.consent) {
      const consent = await latestConsent(manager, record.id);
      view.consent = consent ? { ...consent, valid: consentValidAt(standingOf(consent), now) } : { decision: null, valid: false };
    }
    if (held.size && reviewsHeldTexts(decision)) {
      // Oldest first (heldTextsOf): the first MAX_TEXT_REVIEWS, the bound the answer publishes.
      view.textReviews = [...held.values()].slice(0, MAX_TEXT_REVIEWS).map((h) => ({ field: h.label, heldAt: h.heldAt, text: h.text }));
    }
    return view;
  }

  /** The sealed fields of the plan class (notes, the reason of a hold); none once crypto-shredded. */
  private async openPlan(manager: EntityManager, record: CaseRecord): Promise<Record<string, string>> {
    try {
      return (await this.vaultService.openFields(manager, { territoryId: record.territoryId, caseId: record.id }, ['plan'])).plan;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'shredded') return {};
      throw error;
    }
  }

  async list(viewer: RequestViewer, query: ListCasesQuery) {
    const limit = query.limit ?? 50;
    let cursor: { at: string; id: string } | undefined;
    if (query.cursor) {
      try {
        const [at, id] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
        if (!at || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(Date.parse(at))) throw new Error('bad');
        cursor = { at, id };
      } catch {
        throw AppError.validation('cursor', 'is not a cursor of this list');
      }
    }
    // The SQL narrows to cases the viewer may be related to (their own, those of the territories a
    // relation opens — the coordinator's —, those of their sessions and actions); the policy then
    // decides on each row.
    const scope = this.access.scope(viewer, 'case.list');
    const at = this.clock.now();
    const rows = await listCandidates(this.dataSource, {
      userId: viewer.userId,
      organisationId: viewer.organisationId,
      territories: scope.all ? null : scope.territoryIds,
      state: query.state ?? null,
      commissionId: query.commissionId ?? null,
      before: cursor ?? null,
      limit: limit + 1,
      at,
    });
    // The policy decides on each row: listed only when its meta is released to this viewer.
    const visible = rows.filter(
      (r) =>
        this.access.release(
          viewer,
          {
            territoryId: r.territoryId,
            referrerUserId: r.referrerUserId,
            referrerOrganisationId: r.referrerOrganisationId,
            state: r.state,
            attending: r.attending,
            ownsAction: r.ownsAction,
            consent: null,
          },
          at,
        ).release.meta,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const pageIds = new Set(page.map((r) => r.id));
    return {
      items: visible
        .filter((r) => pageIds.has(r.id))
        .map((r) => ({
          id: r.id,
          reference: r.reference,
          state: r.state,
          version: r.version,
          commissionId: r.commissionId,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          closedAt: r.closedAt,
          followUpAt: r.followUpAt,
          unread: r.unread,
        })),
      nextCursor: rows.length > limit && last ? Buffer.from(`${last.createdAtText}|${last.id}`).toString('base64url') : null,
    };
  }

  /** The transitions; the organisations that acted are named as far as this viewer may learn of them (involvement). */
  async history(viewer: RequestViewer, caseId: string, page: Page, requestId?: string) {
    const now = this.clock.now();
    const record = await loadCase(this.dataSource.manager, caseId, viewer, now);
    const decision = record ? this.access.release(viewer, factsOf(record), now) : undefined;
    if (!record || !decision?.release.meta) return refuseCase(this.audit, viewer, 'case.history', caseId, Boolean(record), requestId);
    const facts = factsOf(record);
    return (await caseHistory(this.dataSource, caseId, page)).map(({ actorSector, ...row }) =>
      this.access.involvementVisible(viewer, decision, facts, now, { organisationId: row.actorOrganisationId, sector: actorSector })
        ? row
        : { ...row, actorOrganisationId: null, actorOrganisationName: null },
    );
  }

  /**
   * Who may take the situation over (HAND_OVER): the active referrers of the referring organisation
   * but the current one — asked by whoever may hand it over (policies/events.yaml); others get
   * what a read they may not make gets. Professionals' names only, nothing of the person.
   */
  async handoverCandidates(viewer: RequestViewer, caseId: string, page: Page, requestId?: string): Promise<{ id: string; displayName: string }[]> {
    const now = this.clock.now();
    const record = await loadCase(this.dataSource.manager, caseId, viewer, now);
    const decision = record ? this.access.release(viewer, factsOf(record), now) : undefined;
    if (!record || !decision?.release.meta) return refuseCase(this.audit, viewer, 'case.handover.candidates', caseId, Boolean(record), requestId);
    if (!this.access.mayDoEvent(decision.relations, 'HAND_OVER')) throw AppError.forbidden('Only the referrer or the coordinator hands a situation over');
    if (!record.referrerOrganisationId) return [];
    const colleagues = await organisationColleagues(this.dataSource.manager, record.referrerOrganisationId, record.referrerUserId);
    const mayHold = (roles: readonly Role[], relation: string) => this.access.rolesHold(roles, relation);
    return slicePage(
      colleagues.filter((u) => mayTakeOver(u, record, mayHold)).map(({ id, displayName }) => ({ id, displayName })),
      page,
    );
  }

  /**
   * Who accessed the situation (its Accès tab): which organisations read or wrote which classes,
   * first and last time, how many times — the access log of the case, as the auditor's access
   * report has it. For those access.yaml lets answer the person (case.access-report); the read is
   * logged.
   */
  async accessReport(viewer: RequestViewer, caseId: string, page: Page, requestId?: string): Promise<AccessReport> {
    const at = this.clock.now();
    const record = await loadCase(this.dataSource.manager, caseId, viewer, at);
    const decision = record ? this.access.release(viewer, factsOf(record), at) : undefined;
    if (!record || !decision?.relations.length) return refuseCase(this.audit, viewer, 'case.access-report', caseId, Boolean(record), requestId);
    const entry = {
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: record.territoryId,
      action: 'case.access-report',
      caseId,
      requestId,
    };
    if (!this.access.relationsPermit(decision.relations, 'case.access-report')) {
      await this.audit.record({ ...entry, decision: 'deny', purpose: 'policy' });
      throw AppError.forbidden('Only the referrer, their service and the coordinator read who accessed the situation');
    }
    const report = accessReportOf(caseId, await accessReportRows(this.dataSource, { all: false, territoryIds: [record.territoryId] }, caseId), page, at);
    await this.audit.record({ ...entry, decision: 'allow', purpose: decision.relations.join(','), detail: { organisations: report.organisations.length } });
    return report;
  }
}
