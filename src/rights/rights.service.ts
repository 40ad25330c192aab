import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Role } from '../access/policy.types.js';
import { accessReportOf, type AccessReport } from '../audit/audit-query.service.js';
import { accessReportRows } from '../audit/audit-events.repository.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { factsOf, loadCase } from '../cases/case.repository.js';
import { refuseCase } from '../cases/case-denial.js';
import { locateForRefusal } from '../database/territory-scope.js';
import { knownOf, samePerson, type Known } from '../cases/duplicates.service.js';
import { indexesOf } from '../cases/referral.js';
import { WorkflowService } from '../cases/workflow.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { Notifier } from '../notifications/notifier.js';
import { VaultError } from '../vault/vault-error.js';
import { normaliseNameForIndex } from '../vault/vault.js';
import { VaultService } from '../vault/vault.service.js';
import { renderCopyPdf, type CopySituation } from './copy.pdf.js';
import {
  accountOf,
  candidatesOf,
  casesOfRequest,
  closeRequest,
  copyCandidates,
  copyDownloads,
  findRequest,
  hasLegalReport,
  insertRequest,
  linkCases,
  listRequests,
  lookupReport,
  recordCopy,
  recordLookup,
  requestFacts,
  setHandler,
  setMeasure,
  territoryExists,
  type LookupReportRow,
  type ProfessionalRow,
  type RightsCaseRow,
  type RightsRequestRow,
} from './rights.repository.js';
import type { RightsKind, RightsOutcome, RightsStatus, RightsWaiting } from './rights.types.js';

const DAY = 86_400_000;

/** The situation as the DPO's answers show it: references and categories only. */
function caseView(c: RightsCaseRow) {
  return { caseId: c.caseId, reference: c.reference, state: c.state, linkedAt: c.linkedAt, measure: c.measure, reason: c.reason, measuredAt: c.measuredAt };
}

/**
 * A person's rights requests (issue 15, GDPR art. 12-21), handled by the DPO (the auditor) of the
 * territory: the request and its due date, the lookup of her situations by the identity she gave
 * (confirmed by the server itself, each decryption audited with the request; references only in
 * the answer; the identity kept nowhere), the access reports, the erasure, the objection and the
 * forwarded rectification, each recorded per situation with its reason, and the closing record.
 * Who may do what is access.yaml's (`rights.*`).
 */
type Identity = { lastName: string; firstName: string; birthDate: string };

/** A name the blind index cannot read (no letter) is refused before anything is written, naming the field. */
function checkIdentity(identity: Identity, prefix: string): void {
  for (const field of ['lastName', 'firstName'] as const) {
    if (!normaliseNameForIndex(identity[field])) throw AppError.validation(`${prefix}${field}`, 'must hold letters');
  }
}

/** The day (YYYY-MM-DD) of a date, or of a date-time in Paris. */
function dayInParis(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw AppError.validation('receivedAt', 'must be a date as YYYY-MM-DD or a date-time');
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

@Injectable()
export class RightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly vault: VaultService,
    private readonly workflow: WorkflowService,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens a request (kind, day received: `receivedOn`, or API.md's `receivedAt`, its day in Paris;
   * territory: the auditor's own unless named). With the identity the person gave (API.md), the
   * lookup runs at once in the same transaction: a refused lookup leaves no request behind.
   */
  async open(
    viewer: RequestViewer,
    body: { territoryId?: string; kind: RightsKind; receivedOn?: string; receivedAt?: string; identity?: Identity },
    requestId?: string,
  ): Promise<RightsRequestRow & { situations: string[] }> {
    const territoryId = body.territoryId ?? viewer.territoryId;
    if (!territoryId) throw AppError.validation('territoryId', 'is required for an auditor attached to no territory');
    await this.access.require(viewer, 'rights.request.open', { kind: 'territory', territoryId }, { requestId });
    const field = body.receivedOn !== undefined ? 'receivedOn' : 'receivedAt';
    const receivedOn = body.receivedOn ?? (body.receivedAt === undefined ? undefined : dayInParis(body.receivedAt));
    if (receivedOn === undefined) throw AppError.validation('receivedAt', 'is required (the day the request was received)');
    const received = Date.parse(`${receivedOn}T00:00:00Z`);
    if (!Number.isFinite(received) || new Date(received).toISOString().slice(0, 10) !== receivedOn) {
      throw AppError.validation(field, 'must be a real date as YYYY-MM-DD');
    }
    const now = this.clock.now();
    if (received > now.getTime() + DAY) throw AppError.validation(field, 'must not be in the future');
    if (received < now.getTime() - 366 * DAY) throw AppError.validation(field, 'must be within the last year');
    if (body.identity) checkIdentity(body.identity, 'identity.');
    return this.dataSource.transaction(async (m) => {
      if (!(await territoryExists(m, territoryId))) throw AppError.notFound('Territory');
      const row = await insertRequest(m, { territoryId, kind: body.kind, receivedOn, openedBy: viewer.userId, at: now });
      await this.audit.record(this.entry(viewer, row, 'rights.request.open', { kind: row.kind, dueOn: row.dueOn }, requestId), m);
      const found = body.identity ? await this.lookupIn(m, viewer, row.id, body.identity, requestId) : undefined;
      return { ...row, situations: found ? found.situations.map((c) => c.reference) : [] };
    });
  }

  async list(viewer: RequestViewer, q: { territoryId?: string; status?: RightsStatus }, requestId?: string): Promise<RightsRequestRow[]> {
    const territoryId = q.territoryId ?? viewer.territoryId;
    if (territoryId) await this.access.require(viewer, 'rights.request.list', { kind: 'territory', territoryId }, { requestId });
    const scope = this.access.scope(viewer, 'rights.request.list');
    const territoryIds = territoryId ? [territoryId] : scope.all ? null : scope.territoryIds;
    return listRequests(this.dataSource.manager, { territoryIds, status: q.status });
  }

  /**
   * One request and what its closure depends on: the days left before its due date (Europe/Paris,
   * negative when late), the lookups made, the handler named (a professional of the territory:
   * name, organisation, roles — the DPO reads the same in the access log), for each situation what
   * was applied or, for an access request, each download of the copy (when, by whom), and what is
   * still waited for. References only: nothing of the person.
   */
  async read(viewer: RequestViewer, id: string, requestId?: string) {
    const request = await this.load(viewer, 'rights.request.read', id, requestId);
    const db = this.dataSource.manager;
    const situations = await casesOfRequest(db, id);
    const facts = await requestFacts(db, id, this.clock.now());
    const downloads = request.kind === 'access' ? await copyDownloads(db, id) : [];
    // The account's roles as the directory holds them (its CHECK keeps them to the known roles).
    const professional = (p: ProfessionalRow) => ({ userId: p.userId, displayName: p.displayName, organisationName: p.organisationName, roles: p.roles });
    const views = situations.map((c) => {
      const mine = downloads.filter((d) => d.caseId === c.caseId);
      return {
        ...caseView(c),
        copies: request.kind === 'access' ? { count: mine[0]?.total ?? 0, downloads: mine.map((d) => ({ at: d.at, by: professional(d) })) } : null,
      };
    });
    const waitingFor: RightsWaiting[] = [];
    if (request.status === 'open') {
      if (!facts.lookups) waitingFor.push('lookup');
      if (request.kind === 'access') {
        if (views.some((v) => v.state !== 'purged' && !v.copies?.count)) waitingFor.push('copy');
      } else if (views.some((v) => !v.measure)) waitingFor.push('measure');
    }
    return {
      ...request,
      daysLeft: request.status === 'open' ? facts.daysLeft : null,
      lookups: facts.lookups,
      handler: facts.handler ? { ...professional(facts.handler), namedAt: facts.handler.namedAt } : null,
      waitingFor,
      situations: views,
    };
  }

  /**
   * The lookup by identity: allowed only while the request is open. The server computes the
   * blind indexes, confirms each candidate by decrypting its identity itself (one audit entry per
   * decryption, tied to the request), links the confirmed situations to the request and answers
   * references only. The identity given is compared in memory and kept nowhere.
   */
  async lookup(viewer: RequestViewer, id: string, identity: Identity, requestId?: string) {
    checkIdentity(identity, '');
    return this.dataSource.transaction((m) => this.lookupIn(m, viewer, id, identity, requestId));
  }

  private async lookupIn(m: EntityManager, viewer: RequestViewer, id: string, identity: Identity, requestId?: string) {
    const request = await this.load(viewer, 'rights.request.lookup', id, requestId, m);
    if (request.status !== 'open') {
      throw new AppError('conflict', 'This rights request is closed: a lookup by identity is allowed only for an open request (open a new one)', {
        status: request.status,
      });
    }
    const at = this.clock.now();
    const given = knownOf({ lastName: identity.lastName, firstName: identity.firstName, birthDate: identity.birthDate }, null);
    const indexes = indexesOf(this.vault.indexer, identity);
    const candidates = await candidatesOf(m, { territoryId: request.territoryId, ...indexes });
    const compared: string[] = [];
    const confirmed: string[] = [];
    for (const candidate of candidates) {
      const theirs = await this.identityOf(m, request.territoryId, candidate.id, candidate.ageBand);
      if (theirs === 'shredded') continue;
      compared.push(candidate.id);
      if (theirs && samePerson(given, theirs)) confirmed.push(candidate.id);
    }
    await linkCases(m, request, confirmed, at);
    await recordLookup(m, {
      requestId: id,
      territoryId: request.territoryId,
      auditorId: viewer.userId,
      at,
      candidates: compared.length,
      confirmed: confirmed.length,
    });
    const purpose = `identity lookup for rights request ${id} (${request.kind}) by auditor ${viewer.userId}`;
    await this.audit.recordMany(
      [
        this.entry(viewer, request, 'rights.request.lookup', { candidates: compared.length, confirmed: confirmed.length }, requestId),
        // Each decryption of a candidate's identity, written to the candidate's own record (its access report shows it).
        ...compared.map((caseId): AuditEntry => ({
          actorId: null,
          organisationId: null,
          territoryId: request.territoryId,
          action: 'system.rights.lookup.compare',
          caseId,
          classes: ['identity'],
          decision: 'allow',
          purpose,
          requestId,
          detail: { rightsRequestId: id, confirmed: confirmed.includes(caseId) },
        })),
      ],
      m,
    );
    const linked = (await casesOfRequest(m, id)).filter((c) => confirmed.includes(c.caseId));
    return { requestId: id, candidates: compared.length, situations: linked.map(caseView) };
  }

  /** The access report of every situation of the request (who read which classes, when): organisations only. */
  async accessReports(viewer: RequestViewer, id: string, requestId?: string): Promise<{ requestId: string; reports: AccessReport[] }> {
    const request = await this.load(viewer, 'rights.request.act', id, requestId);
    const at = this.clock.now();
    const reports: AccessReport[] = [];
    for (const c of await casesOfRequest(this.dataSource.manager, id)) {
      const rows = await accessReportRows(this.dataSource.manager, { all: false, territoryIds: [request.territoryId] }, c.caseId);
      reports.push(accessReportOf(c.caseId, rows, undefined, at));
    }
    await this.audit.record(this.entry(viewer, request, 'rights.request.access-reports', { situations: reports.length }, requestId));
    return { requestId: id, reports };
  }

  /**
   * Erasure (GDPR art. 17): each closed situation of the request is crypto-shredded now (its PURGE,
   * sent by the system through the machine: the erasure journal, the history and the audit log
   * record it), unless a report made under a legal obligation is recorded on it; a situation still
   * being worked on is kept (the person's objection, or its closure, comes first). The reason is
   * recorded for each.
   */
  async erase(viewer: RequestViewer, id: string, requestId?: string) {
    const request = await this.actionable(viewer, id, 'erasure', requestId);
    for (const c of await casesOfRequest(this.dataSource.manager, id)) {
      if (c.measure) continue;
      const at = this.clock.now();
      if (c.state === 'purged') {
        await setMeasure(this.dataSource.manager, id, c.caseId, 'shredded', 'already_erased', at);
      } else if (c.state !== 'closed') {
        await setMeasure(this.dataSource.manager, id, c.caseId, 'kept', 'still_open', at);
      } else if (await hasLegalReport(this.dataSource.manager, c.caseId)) {
        await setMeasure(this.dataSource.manager, id, c.caseId, 'kept', 'legal_report_recorded', at);
      } else {
        await this.workflow.sendAsSystem(c.caseId, 'PURGE', {
          requestId,
          purpose: `erasure for rights request ${id}, ordered by auditor ${viewer.userId}`,
          stillDue: async (manager) => ((await manager.query(`SELECT 1 FROM cases WHERE id = $1 AND state = 'closed'`, [c.caseId])) as unknown[]).length === 1,
        });
        await setMeasure(this.dataSource.manager, id, c.caseId, 'shredded', 'erasure_request', this.clock.now());
      }
    }
    await this.audit.record(this.entry(viewer, request, 'rights.request.erase', {}, requestId));
    return this.read(viewer, id, requestId);
  }

  /** Objection (GDPR art. 21): consent withdrawn on each open situation, through the machine, the system acting for the request. */
  async object(viewer: RequestViewer, id: string, requestId?: string) {
    const request = await this.actionable(viewer, id, 'objection', requestId);
    for (const c of await casesOfRequest(this.dataSource.manager, id)) {
      if (c.measure) continue;
      if (c.state === 'closed' || c.state === 'purged') {
        await setMeasure(this.dataSource.manager, id, c.caseId, 'not_open', 'already_closed', this.clock.now());
        continue;
      }
      try {
        await this.workflow.sendAsSystem(c.caseId, 'WITHDRAW_CONSENT', {
          requestId,
          purpose: `objection for rights request ${id}, received by auditor ${viewer.userId}`,
        });
        await setMeasure(this.dataSource.manager, id, c.caseId, 'consent_withdrawn', 'objection', this.clock.now());
      } catch (error) {
        // The machine refuses it in this state (a draft): nothing is shared, nothing to withdraw.
        if (!(error instanceof AppError && error.code === 'event_not_allowed')) throw error;
        await setMeasure(this.dataSource.manager, id, c.caseId, 'not_open', 'already_closed', this.clock.now());
      }
    }
    await this.audit.record(this.entry(viewer, request, 'rights.request.object', {}, requestId));
    return this.read(viewer, id, requestId);
  }

  /** Rectification (GDPR art. 16): forwarded to each situation's referrer, who rectifies (RECTIFY) — a notification, no content. */
  async forward(viewer: RequestViewer, id: string, requestId?: string) {
    const request = await this.actionable(viewer, id, 'rectification', requestId);
    await this.dataSource.transaction(async (m) => {
      const at = this.clock.now();
      for (const c of await casesOfRequest(m, id)) {
        if (c.measure || c.state === 'purged') continue;
        await this.notifier.rectificationForwarded(m, { caseId: c.caseId, territoryId: request.territoryId, requestId: id, at });
        await setMeasure(m, id, c.caseId, 'forwarded', 'rectification_forwarded', at);
      }
      await this.audit.record(this.entry(viewer, request, 'rights.request.forward', {}, requestId), m);
    });
    return this.read(viewer, id, requestId);
  }

  async close(viewer: RequestViewer, id: string, outcome: RightsOutcome, requestId?: string) {
    await this.dataSource.transaction(async (m) => {
      const request = await this.load(viewer, 'rights.request.act', id, requestId, m);
      if (request.status !== 'open') throw new AppError('conflict', 'This rights request is already closed', { status: request.status });
      await closeRequest(m, id, outcome, viewer.userId, this.clock.now());
      await this.audit.record(this.entry(viewer, request, 'rights.request.close', { outcome }, requestId), m);
    });
    return this.read(viewer, id, requestId);
  }

  /** The coordinator names the professional who hands the person the copy of her data (an access request, open). */
  async nameHandler(viewer: RequestViewer, id: string, userId: string, requestId?: string) {
    await this.dataSource.transaction(async (m) => {
      const request = await this.load(viewer, 'rights.request.handler', id, requestId, m);
      if (request.status !== 'open' || request.kind !== 'access') {
        throw new AppError('conflict', 'A handler is named on an open access request only', { status: request.status, kind: request.kind });
      }
      const account = await accountOf(m, userId);
      const problem = account
        ? this.access.eligibility({ roles: account.roles as Role[], territoryId: account.territoryId }, 'rights_handler', {
            kind: 'territory',
            territoryId: request.territoryId,
          })
        : 'role';
      if (problem) {
        const roles = this.access.holders('rights_handler').join(' or ');
        throw AppError.validation('userId', `must be an active account of the request's territory holding the role ${roles}`);
      }
      const at = this.clock.now();
      await setHandler(m, id, userId, viewer.userId, at);
      await this.notifier.rightsHandlerNamed(m, { territoryId: request.territoryId, requestId: id, userId, at });
      await this.audit.record(this.entry(viewer, request, 'rights.request.handler', { handlerUserId: userId }, requestId), m);
    });
    return this.read(viewer, id, requestId);
  }

  /**
   * Where a professional finds the copies of the data they may hand over: the situations of open
   * access requests tied to them (referrer or named handler), each kept only if rights.copy
   * allows it to them — the same decision as the download's.
   */
  async copiesOf(
    viewer: RequestViewer,
  ): Promise<{ requestId: string; receivedOn: string; dueOn: string; caseId: string; reference: string; as: 'referrer' | 'handler' }[]> {
    const at = this.clock.now();
    const db = this.dataSource.manager;
    const items = [];
    for (const row of await copyCandidates(db, viewer.userId)) {
      const record = await loadCase(db, row.caseId, viewer, at);
      if (!record) continue;
      const handler = row.handlerUserId === viewer.userId;
      const decision = this.access.decide(viewer, 'rights.copy', { kind: 'case', id: row.caseId, ...factsOf(record), rightsHandler: handler });
      if (!decision.allowed) continue;
      items.push({
        requestId: row.requestId,
        receivedOn: row.receivedOn,
        dueOn: row.dueOn,
        caseId: row.caseId,
        reference: row.reference,
        as: decision.relations.includes('rights_handler') ? ('handler' as const) : ('referrer' as const),
      });
    }
    return items;
  }

  /** The auditors' lookups by identity in the coordinator's territory: who, when, for which request, how many found. */
  async lookupsReport(viewer: RequestViewer, requestId?: string): Promise<LookupReportRow[]> {
    const territoryId = viewer.territoryId;
    await this.access.require(viewer, 'rights.lookups.report', { kind: 'territory', territoryId }, { requestId });
    const items = await lookupReport(this.dataSource.manager, territoryId!);
    await this.audit.record({
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId,
      action: 'rights.lookups.report',
      decision: 'allow',
      purpose: 'coordinator',
      requestId,
      detail: { rows: items.length },
    });
    return items;
  }

  /**
   * The copy of the person's data for one situation of an open access request (GDPR art. 15.3),
   * as a PDF: her identity and the content of her situation, nothing of anyone else's. Only a
   * user who may already see that identity downloads it (access.yaml rights.copy: the referrer, or
   * the handler named on the request); each download is audited.
   */
  async copy(viewer: RequestViewer, id: string, caseId: string, requestId?: string): Promise<Buffer> {
    const at = this.clock.now();
    const db = this.dataSource.manager;
    // Another territory's situation is hidden by row-level security: found again for the refusal's log (AccessService refuses it).
    const record = (await loadCase(db, caseId, viewer, at)) ?? (await locateForRefusal(() => loadCase(db, caseId, viewer, at)));
    if (!record) return refuseCase(this.audit, viewer, 'rights.copy', caseId, false, requestId);
    const request = await findRequest(db, id);
    const linked = request ? (await casesOfRequest(db, id)).find((c) => c.caseId === caseId) : undefined;
    const handler = request?.status === 'open' && request.handlerUserId === viewer.userId && linked !== undefined;
    await this.access.require(viewer, 'rights.copy', { kind: 'case', id: caseId, ...factsOf(record), rightsHandler: handler }, { requestId });
    if (!request || !linked) {
      await this.audit.record({
        actorId: viewer.userId,
        organisationId: viewer.organisationId,
        territoryId: record.territoryId,
        action: 'rights.copy',
        caseId,
        decision: 'deny',
        purpose: 'not_linked',
        requestId,
        detail: { rightsRequestId: id },
      });
      throw AppError.notFound('Situation of this request');
    }
    if (request.kind !== 'access' || request.status !== 'open') {
      throw new AppError('conflict', 'The copy of the data is given for an open access request only', { kind: request.kind, status: request.status });
    }
    let fields: Record<'identity' | 'summary' | 'social' | 'health', Record<string, string>>;
    try {
      fields = await this.vault.openFields(this.dataSource.manager, { territoryId: record.territoryId, caseId }, ['identity', 'summary', 'social', 'health']);
    } catch (error) {
      if (error instanceof VaultError && error.code === 'shredded')
        throw new AppError('erased', 'The data of this situation were erased: there is nothing left to copy');
      throw error;
    }
    const situation: CopySituation = { reference: linked.reference, state: linked.state, createdAt: record.createdAt, fields };
    const pdf = await renderCopyPdf(situation, at);
    await this.dataSource.transaction(async (m) => {
      await recordCopy(m, { requestId: id, caseId, territoryId: record.territoryId, userId: viewer.userId, at });
      await this.audit.record(
        {
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: record.territoryId,
          action: 'rights.copy',
          caseId,
          classes: ['identity', 'summary', 'social', 'health'],
          decision: 'allow',
          purpose: `copy of the person's data for rights request ${id}`,
          requestId,
          detail: { rightsRequestId: id, bytes: pdf.length },
        },
        m,
      );
    });
    return pdf;
  }

  // ------------------------------------------------------------------ helpers

  /** The request, if the caller may do `action` on it (another territory's: 404, its existence not confirmed). */
  private async load(
    viewer: RequestViewer,
    action: 'rights.request.read' | 'rights.request.lookup' | 'rights.request.act' | 'rights.request.handler',
    id: string,
    requestId?: string,
    m?: EntityManager,
  ) {
    // Another territory's request is hidden by row-level security: found again for the refusal's log (AccessService refuses it).
    const request =
      (await findRequest(m ?? this.dataSource.manager, id, m !== undefined)) ?? (await locateForRefusal(() => findRequest(this.dataSource.manager, id)));
    if (!request) throw AppError.notFound('Rights request');
    await this.access.require(viewer, action, { kind: 'territory', territoryId: request.territoryId }, { requestId });
    return request;
  }

  /** An open request of that kind, for the DPO's measures. */
  private async actionable(viewer: RequestViewer, id: string, kind: RightsKind, requestId?: string) {
    const request = await this.load(viewer, 'rights.request.act', id, requestId);
    if (request.status !== 'open')
      throw new AppError('conflict', 'This rights request is closed: its measures were taken before it closed', { status: request.status });
    if (request.kind !== kind)
      throw new AppError('conflict', `This is a request of kind ${request.kind}: only the measures of that kind apply to it`, { kind: request.kind });
    return request;
  }

  /** A candidate's identity as it compares, or 'shredded' (nothing left to compare), or null (no names recorded). */
  private async identityOf(m: EntityManager, territoryId: string, caseId: string, ageBand: string | null): Promise<Known | null | 'shredded'> {
    try {
      const f = (await this.vault.openFields(m, { territoryId, caseId }, ['identity'])).identity;
      return f.lastName && f.firstName ? knownOf(f, ageBand) : null;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'shredded') return 'shredded';
      throw error;
    }
  }

  private entry(
    viewer: RequestViewer,
    request: { id: string; territoryId: string },
    action: string,
    detail: Record<string, unknown>,
    requestId?: string,
  ): AuditEntry {
    return {
      actorId: viewer.userId,
      organisationId: viewer.organisationId,
      territoryId: request.territoryId,
      action,
      decision: 'allow',
      purpose: 'rights request',
      requestId,
      detail: { rightsRequestId: request.id, ...detail },
    };
  }
}
