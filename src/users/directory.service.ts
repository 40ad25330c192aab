import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { clearLoginAttempts } from '../auth/login-throttle.repository.js';
import { PasswordHasher } from '../auth/password-hasher.js';
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
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly access: AccessService,
  ) {}

  private adminAudit(admin: RequestViewer, action: string, detail: Record<string, unknown>): AuditEntry {
    return { actorId: admin.userId, organisationId: admin.organisationId, territoryId: admin.territoryId, action, decision: 'allow', detail };
  }

  async createTerritory(admin: RequestViewer, dto: CreateTerritoryDto): Promise<TerritoryRow> {
    return this.dataSource.transaction(async (m) => {
      const territory = await insertTerritory(m, dto.name.trim());
      if (!territory) throw new AppError('conflict', 'A territory with this name already exists');
      await this.audit.record(this.adminAudit(admin, 'admin.territory.create', { territoryId: territory.id }), m);
      return territory;
    });
  }

  listTerritories(): Promise<TerritoryRow[]> {
    return listTerritories(this.dataSource);
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
  listOrganisations(viewer: RequestViewer, territoryId?: string): Promise<OrganisationRow[]> {
    return listOrganisations(this.dataSource, this.access.scope(viewer, 'organisation.list'), territoryId ?? null);
  }

  async createUser(admin: RequestViewer, dto: CreateUserDto): Promise<UserView> {
    const problem = this.access.accountRolesProblem(dto.roles, dto.organisationId);
    if (problem) throw AppError.validation(problem.field, problem.message);
    const hash = await this.hasher.hash(dto.password);
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

  async updateUser(admin: RequestViewer, id: string, dto: UpdateUserDto): Promise<UserView> {
    const hash = dto.password ? await this.hasher.hash(dto.password) : null;
    return this.dataSource.transaction(async (m) => {
      if (!(await lockUser(m, id))) throw AppError.notFound('User');
      // Whoever administers accounts cannot disable themself, nor give up the roles that let them.
      if (id === admin.userId && (dto.disabled || (dto.roles && !this.access.rolesMay(dto.roles, 'user.update')))) {
        throw new AppError('conflict', 'An administrator cannot disable themself or drop their own admin role');
      }
      await updateUser(m, id, {
        disabled: dto.disabled ?? null,
        roles: dto.roles ?? null,
        profession: dto.profession ?? null,
        displayName: dto.displayName ?? null,
        passwordHash: hash,
      });
      // A new password, or an account enabled again, also lifts a lock of too many login attempts.
      if (hash || dto.disabled === false) await clearLoginAttempts(m, id);
      const changed = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
      await this.audit.record(this.adminAudit(admin, 'admin.user.update', { userId: id, changed, disabled: dto.disabled, roles: dto.roles }), m);
      return (await findUsers(m, id))[0];
    });
  }

  /** The accounts the caller may list: an admin every one, an auditor those of their reach. */
  listUsers(viewer: RequestViewer): Promise<UserView[]> {
    return listUsers(this.dataSource, this.access.scope(viewer, 'user.list'));
  }
}
