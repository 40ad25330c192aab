import type { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';

/**
 * The answer to a caller with no relation to a case, and to an unknown case id alike: the same
 * 404 (a 403 would confirm that the case exists), written to the audit log first. An unknown id
 * is kept in `detail`, not in the case column (there is no such case to point at).
 */
export async function refuseCase(
  audit: AuditService,
  viewer: RequestViewer,
  action: string,
  caseId: string,
  known: boolean,
  requestId?: string,
): Promise<never> {
  await audit.record({
    actorId: viewer.userId,
    organisationId: viewer.organisationId,
    territoryId: viewer.territoryId,
    action,
    caseId: known ? caseId : null,
    decision: 'deny',
    purpose: 'no_relation',
    requestId,
    detail: known ? {} : { unknownCase: caseId },
  });
  throw AppError.notFound('Case');
}
