import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '../access/policy.types.js';
import { AuditService } from '../audit/audit.service.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import type { RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import type { CreateOrganisationDto, CreateTerritoryDto, CreateUserDto, UpdateUserDto } from './dto/directory.dto.js';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  territoryId: string | null;
  roles: Role[];
  profession: string;
  disabled: boolean;
  createdAt: string;
}

const USER_COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId",
  coalesce(o.territory_id, u.territory_id) AS "territoryId", u.roles, u.profession, u.disabled_at IS NOT NULL AS disabled, u.created_at AS "createdAt"`;

/** Territories, organisations and accounts: the administrator's directory. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  private adminAudit(admin: RequestViewer, action: string, detail: Record<string, unknown>) {
    return { actorId: admin.userId, organisationId: admin.organisationId, territoryId: admin.territoryId, action, decision: 'allow' as const, detail };
  }

  async createTerritory(admin: RequestViewer, dto: CreateTerritoryDto) {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query(`INSERT INTO territories (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at AS "createdAt"`, [
        dto.name.trim(),
      ]);
      if (!rows.length) throw new AppError('conflict', 'A territory with this name already exists');
      await this.audit.record(this.adminAudit(admin, 'admin.territory.create', { territoryId: rows[0].id }), m);
      return rows[0];
    });
  }

  listTerritories() {
    return this.dataSource.query(`SELECT id, name, created_at AS "createdAt" FROM territories ORDER BY name`);
  }

  async createOrganisation(admin: RequestViewer, dto: CreateOrganisationDto) {
    return this.dataSource.transaction(async (m) => {
      const territory = await m.query(`SELECT 1 FROM territories WHERE id = $1`, [dto.territoryId]);
      if (!territory.length) throw AppError.validation('territoryId', 'no such territory');
      const rows = await m.query(
        `INSERT INTO organisations (name, sector, territory_id) VALUES ($1, $2, $3) ON CONFLICT (territory_id, name) DO NOTHING
         RETURNING id, name, sector, territory_id AS "territoryId", created_at AS "createdAt"`,
        [dto.name.trim(), dto.sector, dto.territoryId],
      );
      if (!rows.length) throw new AppError('conflict', 'An organisation with this name already exists in the territory');
      await this.audit.record(this.adminAudit(admin, 'admin.organisation.create', { organisationId: rows[0].id, sector: dto.sector }), m);
      return rows[0];
    });
  }

  /** Everyone may list the organisations of their own territory (to name action owners). */
  listOrganisations(viewer: RequestViewer, territoryId?: string) {
    const isAdmin = viewer.roles.includes('admin');
    const territory = isAdmin ? territoryId : viewer.territoryId;
    if (!isAdmin && territoryId && territoryId !== viewer.territoryId) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT id, name, sector, territory_id AS "territoryId" FROM organisations WHERE ($1::uuid IS NULL OR territory_id = $1) ORDER BY name`,
      [territory ?? null],
    );
  }

  async createUser(admin: RequestViewer, dto: CreateUserDto): Promise<UserView> {
    const needsOrganisation = dto.roles.some((r) => r === 'referrer' || r === 'member' || r === 'coordinator');
    if (needsOrganisation && !dto.organisationId) throw AppError.validation('organisationId', 'required for the referrer, member and coordinator roles');
    if (dto.roles.includes('coordinator') && dto.roles.includes('auditor')) {
      throw AppError.validation('roles', 'an auditor cannot also be a coordinator (the auditor checks the coordinator)');
    }
    const hash = await this.hasher.hash(dto.password);
    return this.dataSource.transaction(async (m) => {
      if (dto.organisationId) {
        const org = await m.query(`SELECT 1 FROM organisations WHERE id = $1`, [dto.organisationId]);
        if (!org.length) throw AppError.validation('organisationId', 'no such organisation');
      }
      const rows = await m.query(
        `INSERT INTO users (email, password_hash, display_name, organisation_id, roles, profession) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [dto.email.trim().toLowerCase(), hash, dto.displayName.trim(), dto.organisationId ?? null, dto.roles, dto.profession],
      );
      if (!rows.length) throw new AppError('conflict', 'An account with this email already exists');
      await this.audit.record(this.adminAudit(admin, 'admin.user.create', { userId: rows[0].id, roles: dto.roles, profession: dto.profession }), m);
      return (await this.findUsers(m, rows[0].id))[0];
    });
  }

  async updateUser(admin: RequestViewer, id: string, dto: UpdateUserDto): Promise<UserView> {
    const hash = dto.password ? await this.hasher.hash(dto.password) : null;
    return this.dataSource.transaction(async (m) => {
      const current = await m.query(`SELECT id, roles, disabled_at FROM users WHERE id = $1 FOR UPDATE`, [id]);
      if (!current.length) throw AppError.notFound('User');
      if (id === admin.userId && (dto.disabled || (dto.roles && !dto.roles.includes('admin')))) {
        throw new AppError('conflict', 'An administrator cannot disable themself or drop their own admin role');
      }
      await m.query(
        `UPDATE users SET
           disabled_at = CASE WHEN $2::boolean IS NULL THEN disabled_at WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END,
           roles = coalesce($3, roles), profession = coalesce($4, profession), display_name = coalesce($5, display_name),
           password_hash = coalesce($6, password_hash), updated_at = now()
         WHERE id = $1`,
        [id, dto.disabled ?? null, dto.roles ?? null, dto.profession ?? null, dto.displayName ?? null, hash],
      );
      // A new password, or an account enabled again, also lifts a lock of too many login attempts.
      if (hash || dto.disabled === false) await m.query(`DELETE FROM login_throttle WHERE user_id = $1`, [id]);
      const changed = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
      await this.audit.record(this.adminAudit(admin, 'admin.user.update', { userId: id, changed, disabled: dto.disabled, roles: dto.roles }), m);
      return (await this.findUsers(m, id))[0];
    });
  }

  findUsers(runner: { query: DataSource['query'] } = this.dataSource, id?: string): Promise<UserView[]> {
    return runner.query(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE ($1::uuid IS NULL OR u.id = $1) ORDER BY u.email`,
      [id ?? null],
    );
  }
}
