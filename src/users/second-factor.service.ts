import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import { locateForRefusal } from '../database/territory-scope.js';
import { markSecondFactorRemoved } from './users.repository.js';
import { VaultService } from '../vault/vault.service.js';
import {
  confirmRemoval,
  deleteLapsedRemovals,
  findAccountForRemoval,
  findRemoval,
  insertRemoval,
  listPendingRemovals,
  type RemovalReason,
  type RemovalView,
} from './second-factor.repository.js';

/** An unconfirmed request lapses after this long. */
export const REMOVAL_LAPSES_AFTER_HOURS = 24;

export interface RemovalAnswer extends RemovalView {
  status: 'pending' | 'done';
}

const answer = (view: RemovalView): RemovalAnswer => ({ ...view, status: view.confirmedAt ? 'done' : 'pending' });

/**
 * Removing a user's second factor (a lost phone) is its own action, never a side effect of a
 * password reset: one administrator asks, a second person confirms — another administrator, or
 * the auditor of the account's territory (access.yaml, user.second-factor.*), never the one who
 * asked nor the account's owner. Both steps are audited; the removal ends every token of the
 * account, and its next login tells the user (then enrols a new factor).
 */
@Injectable()
export class SecondFactorRemovals {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly vault: VaultService,
  ) {}

  async request(admin: RequestViewer, userId: string, reason: RemovalReason, requestId?: string): Promise<RemovalAnswer> {
    return this.dataSource.transaction(async (m) => {
      const account = await findAccountForRemoval(m, userId);
      if (!account) throw AppError.notFound('User');
      await this.access.require(admin, 'user.second-factor.remove', { kind: 'account', userId, territoryId: account.territoryId }, { requestId });
      if (!account.enrolled) throw new AppError('conflict', 'This account has no second factor to remove');
      await deleteLapsedRemovals(m, REMOVAL_LAPSES_AFTER_HOURS);
      const id = await insertRemoval(m, userId, admin.userId, reason);
      if (!id) throw new AppError('conflict', 'A removal of this second factor is already waiting for confirmation');
      await this.audit.record(
        {
          actorId: admin.userId,
          organisationId: admin.organisationId,
          territoryId: account.territoryId,
          action: 'admin.user.second_factor.remove_request',
          decision: 'allow',
          purpose: reason,
          requestId,
          detail: { userId, removalId: id },
        },
        m,
      );
      return answer((await findRemoval(m, id))!);
    });
  }

  async listPending(viewer: RequestViewer): Promise<{ items: RemovalAnswer[] }> {
    await deleteLapsedRemovals(this.dataSource, REMOVAL_LAPSES_AFTER_HOURS);
    return { items: (await listPendingRemovals(this.dataSource, this.access.scope(viewer, 'user.second-factor.list'))).map(answer) };
  }

  async confirm(viewer: RequestViewer, id: string, requestId?: string): Promise<RemovalAnswer> {
    await deleteLapsedRemovals(this.dataSource, REMOVAL_LAPSES_AFTER_HOURS);
    // Refusals are decided (and logged) before the transaction, so that they stay in the log.
    // Found across territories for the decision only (the account may be another territory's: refused and logged, not unknown).
    const removal = await locateForRefusal(() => findRemoval(this.dataSource, id));
    if (!removal) throw AppError.notFound('Second-factor removal');
    await this.access.require(
      viewer,
      'user.second-factor.confirm',
      { kind: 'account', userId: removal.userId, territoryId: removal.territoryId },
      { requestId },
    );
    if (removal.confirmedAt) throw new AppError('conflict', 'This removal was confirmed already');
    // The second person: neither the one who asked nor the account's owner.
    if (viewer.userId === removal.requestedBy || viewer.userId === removal.userId) {
      await this.audit.record({
        actorId: viewer.userId,
        organisationId: viewer.organisationId,
        territoryId: removal.territoryId,
        action: 'admin.user.second_factor.confirm',
        decision: 'deny',
        purpose: 'same_person',
        requestId,
        detail: { userId: removal.userId, removalId: id },
      });
      throw new AppError('forbidden', 'A second person confirms the removal: not the one who asked for it, nor the account owner', { reason: 'same_person' });
    }
    return this.dataSource.transaction(async (m) => {
      // Confirmed once: the row is locked, and confirmed only if it still waits.
      if (!(await findRemoval(m, id, true)) || !(await confirmRemoval(m, id, viewer.userId))) {
        throw new AppError('conflict', 'This removal was confirmed already, or has lapsed');
      }
      await this.vault.deleteAccountSecrets(m, removal.userId, ['totp', 'totp_pending']);
      await markSecondFactorRemoved(m, removal.userId);
      await this.audit.record(
        {
          actorId: viewer.userId,
          organisationId: viewer.organisationId,
          territoryId: removal.territoryId,
          action: 'admin.user.second_factor.remove',
          decision: 'allow',
          purpose: removal.reason,
          requestId,
          detail: { userId: removal.userId, removalId: id, requestedBy: removal.requestedBy },
        },
        m,
      );
      return answer((await findRemoval(m, id))!);
    });
  }
}
