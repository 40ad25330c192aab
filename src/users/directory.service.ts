import { CAPS, capReached } from '../common/limits.js';
import { lockedCount } from '../database/caps.js';
import type { Page } from '../common/pagination.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { passwordProblem } from '../auth/password-policy.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import type { CreateOrganisationDto, CreateTerritoryDto, CreateUserDto, UpdateUserDto } from './dto/directory.dto.js';
import {
  insertOrganisation,
  insertTerritory,
  listOrganisations,
  listTerritories,
  organisationExists,
  territoryExists,
  type OrganisationRow,
  type TerritoryRow,
} from './organisations.repository.js';
import { findUsers, insertUser, listUsers, lockUser, updateUser, type UserView } from './users.repository.js';

export type { UserView };

/**
 * Territories, organisations and accounts: the administrator's directory. Who may call what is
 * policies/access.yaml's (the routes declare their action; these are deployment-wide, decided by
 * the route guard), and what an account's roles require and exclude as well.
 */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly access: AccessService,
  ) {}

  private adminAudit(admin: RequestViewer, action: string, detail: Record<string, unknown>): AuditEntry {
    return { actorId: admin.userId, organisationId: admin.organisationId, territoryId: admin.territoryId, action, decision: 'allow', detail };
  }

  async createTerritory(admin: RequestViewer, dto: CreateTerritoryDto): Promise<TerritoryRow> {
    return this.dataSource.transaction(async (m) => {
      if ((await lockedCount(m, 'territories', `SELECT count(*) FROM territories`)) >= CAPS.territories) {
        throw capReached('name', 'A deployment', CAPS.territories);
      }
      const territory = await insertTerritory(m, dto.name.trim());
      if (!territory) throw new AppError('conflict', 'A territory with this name already exists');
      await this.audit.record(this.adminAudit(admin, 'admin.territory.create', { territoryId: territory.id }), m);
      return territory;
    });
  }

  listTerritories(page: Page): Promise<TerritoryRow[]> {
    return listTerritories(this.dataSource, page);
  }

  async createOrganisation(admin: RequestViewer, dto: CreateOrganisationDto): Promise<OrganisationRow & { createdAt: Date }> {
    return this.dataSource.transaction(async (m) => {
      if (!(await territoryExists(m, dto.territoryId))) throw AppError.validation('territoryId', 'no such territory');
      const organisation = await insertOrganisation(m, { name: dto.name.trim(), sector: dto.sector, territoryId: dto.territoryId });
      if (!organisation) throw new AppError('conflict', 'An organisation with this name already exists in the territory');
      await this.audit.record(this.adminAudit(admin, 'admin.organisation.create', { organisationId: organisation.id, sector: dto.sector }), m);
      return organisation;
    });
  }

  /** The organisations of the territories the caller may list (everyone their own: to name action owners). */
  listOrganisations(viewer: RequestViewer, territoryId: string | undefined, page: Page): Promise<OrganisationRow[]> {
    return listOrganisations(this.dataSource, this.access.scope(viewer, 'organisation.list'), territoryId ?? null, page);
  }

  private get production(): boolean {
    return this.config.nodeEnv === 'production';
  }

  /**
   * An account: its roles checked against access.yaml `accounts` (separation of duties), its
   * password against the password rules; the password is temporary (the user replaces it at
   * their first login).
   */
  async createUser(admin: RequestViewer, dto: CreateUserDto): Promise<UserView> {
    const problem = this.access.accountRolesProblem(dto.roles, dto.organisationId);
    if (problem) throw AppError.validation(problem.field, problem.message);
    const weak = passwordProblem(dto.password, { email: dto.email, displayName: dto.displayName, production: this.production });
    if (weak) throw AppError.validation('password', weak);
    const hash = await this.auth.hashPassword(dto.password);
    return this.dataSource.transaction(async (m) => {
      if (dto.organisationId && !(await organisationExists(m, dto.organisationId))) throw AppError.validation('organisationId', 'no such organisation');
      const id = await insertUser(m, {
        email: dto.email.trim().toLowerCase(),
        passwordHash: hash,
        displayName: dto.displayName.trim(),
        organisationId: dto.organisationId ?? null,
        roles: dto.roles,
        profession: dto.profession,
      });
      if (!id) throw new AppError('conflict', 'An account with this email already exists');
      await this.audit.record(this.adminAudit(admin, 'admin.user.create', { userId: id, roles: dto.roles, profession: dto.profession }), m);
      return (await findUsers(m, id))[0];
    });
  }

  /**
   * Changes an account. The roles it would hold are checked against access.yaml `accounts` at
   * every update, as at creation. A password set here is temporary, and never touches the second
   * factor (its removal is SecondFactorRemovals'). A new password, a disabling, a change of roles
   * or profession ends every token of the account at once (a new token generation).
   */
  async updateUser(admin: RequestViewer, id: string, dto: UpdateUserDto): Promise<UserView> {
    const updated = await this.dataSource.transaction(async (m) => {
      const current = await lockUser(m, id);
      if (!current) throw AppError.notFound('User');
      // Whoever administers accounts cannot disable themself, nor give up the roles that let them.
      if (id === admin.userId && (dto.disabled || (dto.roles && !this.access.rolesMay(dto.roles, 'user.update')))) {
        throw new AppError('conflict', 'An administrator cannot disable themself or drop their own admin role');
      }
      if (dto.roles) {
        const problem = this.access.accountRolesProblem(dto.roles, current.organisationId);
        if (problem) throw AppError.validation(problem.field, problem.message);
      }
      let hash: string | null = null;
      if (dto.password) {
        const weak = passwordProblem(dto.password, { email: current.email, displayName: dto.displayName ?? current.displayName, production: this.production });
        if (weak) throw AppError.validation('password', weak);
        hash = await this.auth.hashPassword(dto.password);
      }
      const rolesChanged = dto.roles !== undefined && [...dto.roles].sort().join() !== [...current.roles].sort().join();
      const professionChanged = dto.profession !== undefined && dto.profession !== current.profession;
      await updateUser(m, id, {
        disabled: dto.disabled ?? null,
        roles: dto.roles ?? null,
        profession: dto.profession ?? null,
        displayName: dto.displayName ?? null,
        passwordHash: hash,
        endTokens: hash !== null || dto.disabled === true || rolesChanged || professionChanged,
      });
      const changed = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
      await this.audit.record(this.adminAudit(admin, 'admin.user.update', { userId: id, changed, disabled: dto.disabled, roles: dto.roles }), m);
      return { view: (await findUsers(m, id))[0], email: current.email };
    });
    // A new password, or an account enabled again, also ends a streak of failed logins.
    if (dto.password || dto.disabled === false) await this.throttle.forget(updated.email);
    return updated.view;
  }

  /** The accounts the caller may list: an admin every one, an auditor those of their reach. */
  listUsers(viewer: RequestViewer, page: Page): Promise<UserView[]> {
    return listUsers(this.dataSource, this.access.scope(viewer, 'user.list'), page);
  }
}
