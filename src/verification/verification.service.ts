import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { AuditLogService } from '../audit/audit-log.service';
import { AdminActor } from '../common/auth/viewer';
import { ApiError, invalid, notFound } from '../common/errors/api-error';
import { DEFAULT_LIMIT } from '../common/pagination/paging';
import { validateNested } from '../common/validation/api-validation.pipe';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow, runSql } from '../database/sql';
import { SqlParams } from '../database/sql-params';
import { StorageService } from '../storage/storage.service';
import { UserViews } from '../users/user-views.service';
import { CreateVerificationDto, OrgVerificationData, ReviewListQuery, UserVerificationData } from './dto/verification.dto';
import { VerificationType } from './verification.entity';
import { toFullVerification, VERIFICATION_FILE_JOINS, VERIFICATION_PRIVATE_COLUMNS, VERIFICATION_PUBLIC_COLUMNS, VerificationRow } from './verification.view';

/** Column → value for the fields a request sets (sealed where personal), images to mark private. */
interface Columns {
  values: Record<string, string | null>;
  images: Array<{ node: string; field: string }>;
}

const SELECT_FULL = `SELECT ${VERIFICATION_PUBLIC_COLUMNS}, ${VERIFICATION_PRIVATE_COLUMNS} FROM verifications v ${VERIFICATION_FILE_JOINS}`;

/** Real-name and organisation verification (认证, mobile-api §5): owner routes and the admin review. */
@Injectable()
export class VerificationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: PiiCipher,
    private readonly storage: StorageService,
    private readonly views: UserViews,
    private readonly abilities: AbilitiesService,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(userId: number) {
    const row = await this.row(userId);
    return row ? toFullVerification(row, this.cipher, this.config.publicUrl) : null;
  }

  /** The stored verification with its images' file rows, for either API's view. */
  async row(userId: number): Promise<VerificationRow | null> {
    return (await firstRow<VerificationRow>(this.db, `${SELECT_FULL} WHERE v.user_id = $1`, [userId])) ?? null;
  }

  async create(userId: number, dto: CreateVerificationDto): Promise<void> {
    const columns = await this.columnsFor(userId, dto.type, dto.data, false);
    const existing = await firstRow(this.db, 'SELECT 1 FROM verifications WHERE user_id = $1', [userId]);
    if (existing) throw invalid('type', 'verification_exists');
    await this.db.transaction(async (manager) => {
      const names = Object.keys(columns.values);
      const inserted = await runSql(
        manager,
        `INSERT INTO verifications (user_id, type, state, ${names.map((name) => `"${name}"`).join(', ')})
         VALUES ($1, $2, -1, ${names.map((_, i) => `$${i + 3}`).join(', ')})
         ON CONFLICT (user_id) DO NOTHING`,
        [userId, dto.type, ...Object.values(columns.values)],
      );
      if (!inserted.rowCount) throw invalid('type', 'verification_exists');
      await this.makeImagesPrivate(manager, columns);
    });
  }

  /** Only a rejected verification can be changed; it goes back to review. */
  async update(userId: number, data: Record<string, unknown>): Promise<void> {
    const current = await firstRow<{ type: VerificationType; state: number }>(this.db, 'SELECT type, state FROM verifications WHERE user_id = $1', [userId]);
    if (!current) throw notFound();
    this.assertEditable(current.state);
    const columns = await this.columnsFor(userId, current.type, data, true);
    await this.db.transaction(async (manager) => {
      const names = Object.keys(columns.values);
      const assignments = names.map((name, i) => `"${name}" = $${i + 2}`);
      const updated = await runSql(
        manager,
        `UPDATE verifications SET ${[...assignments, 'state = -1', 'reject_reason = NULL', 'updated_at = now()'].join(', ')}
          WHERE user_id = $1 AND state = 0`,
        [userId, ...Object.values(columns.values)],
      );
      if (updated.rowCount !== 1) {
        const now = await firstRow<{ state: number }>(manager, 'SELECT state FROM verifications WHERE user_id = $1', [userId]);
        if (!now) throw notFound();
        this.assertEditable(now.state);
      }
      await this.makeImagesPrivate(manager, columns);
    });
  }

  async remove(userId: number): Promise<void> {
    const result = await runSql(this.db, 'DELETE FROM verifications WHERE user_id = $1', [userId]);
    if (result.rowCount !== 1) throw notFound();
  }

  /** Admin list: full verifications with their user (public view); users fetched in one batched statement. */
  async list(query: ReviewListQuery) {
    const params = new SqlParams();
    const where: string[] = [];
    if (query.state != null) where.push(`v.state = ${params.add(Number(query.state))}`);
    if (query.type != null) where.push(`v.type = ${params.add(query.type)}`);
    const { rows } = await runSql<VerificationRow>(
      this.db,
      `${SELECT_FULL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY v.created_at DESC, v.user_id DESC LIMIT ${params.add(query.limit ?? DEFAULT_LIMIT)} OFFSET ${params.add(query.offset ?? 0)}`,
      params.values,
    );
    const userParams = new SqlParams();
    const users = await this.views.list({
      where: [`u.id = ANY(${userParams.add(rows.map((r) => r.v_user_id))}::bigint[])`],
      orderBy: 'u.id',
      limit: rows.length || 1,
      relativeTo: { follower: null, following: null },
      params: userParams,
    });
    const byId = new Map(users.map((u) => [u.id, u]));
    return rows.map((row) => ({ ...toFullVerification(row, this.cipher, this.config.publicUrl), user: byId.get(row.v_user_id!) ?? null }));
  }

  async approve(admin: AdminActor, userId: number, slogan: string | null | undefined): Promise<void> {
    await this.review(admin, userId, 1, { slogan: slogan ?? null, reject_reason: null });
  }

  async reject(admin: AdminActor, userId: number, reason: string): Promise<void> {
    await this.review(admin, userId, 0, { reject_reason: reason });
  }

  /**
   * A decision is made on a pending (-1) submission only: deciding on an approved or rejected one (again) answers
   * 409, as the submission is not in a state that takes a decision; no submission at all answers 404.
   */
  private async review(admin: AdminActor, userId: number, state: 0 | 1, fields: Record<string, string | null>): Promise<void> {
    const names = Object.keys(fields);
    await this.db.transaction(async (manager) => {
      await this.abilities.assertMayActOn(manager, admin.id, userId);
      const result = await runSql(
        manager,
        `UPDATE verifications SET state = $2, reviewed_by = $3, reviewed_at = now(), updated_at = now(),
                ${names.map((name, i) => `${name} = $${i + 4}`).join(', ')}
          WHERE user_id = $1 AND state = -1`,
        [userId, state, admin.id, ...Object.values(fields)],
      );
      if (result.rowCount !== 1) {
        const existing = await firstRow(manager, 'SELECT 1 FROM verifications WHERE user_id = $1', [userId]);
        throw existing ? new ApiError(409, 'verification_not_pending') : notFound();
      }
      await this.audit.record(manager, admin, state === 1 ? 'verification.approve' : 'verification.reject', userId, fields);
    });
  }

  private assertEditable(state: number): void {
    if (state === 1) throw invalid('type', 'verification_approved');
    if (state === -1) throw invalid('type', 'verification_pending');
  }

  /** Validates `data` for the type and maps it to columns; personal values are sealed, images must be the user's. */
  private async columnsFor(userId: number, type: VerificationType, data: unknown, partial: boolean): Promise<Columns> {
    const seal = (value: string | undefined) => (value === undefined ? undefined : this.cipher.encrypt(value));
    let values: Record<string, string | null | undefined>;
    let images: Columns['images'];
    if (type === 'user') {
      const d = await validateNested(UserVerificationData, data, 'data', partial);
      values = {
        real_name_sealed: seal(d.real_name),
        id_number_sealed: seal(d.id_card?.number?.toUpperCase()),
        id_card_front: d.id_card?.front,
        id_card_rear: d.id_card?.rear,
        phone_number: d.phone_number === undefined ? undefined : normalizeCnPhone(d.phone_number),
        desc: d.desc,
      };
      images = [
        { node: d.id_card?.front, field: 'data.id_card.front' },
        { node: d.id_card?.rear, field: 'data.id_card.rear' },
      ].filter((i): i is { node: string; field: string } => typeof i.node === 'string');
    } else {
      const d = await validateNested(OrgVerificationData, data, 'data', partial);
      values = {
        org_name: d.org?.name,
        org_address: d.org?.address,
        org_certificate: d.org?.certificate,
        person_name_sealed: seal(d.person?.name),
        person_number_sealed: seal(d.person?.number?.toUpperCase()),
        phone_number: d.phone_number === undefined ? undefined : normalizeCnPhone(d.phone_number),
        desc: d.desc,
      };
      images = typeof d.org?.certificate === 'string' ? [{ node: d.org.certificate, field: 'data.org.certificate' }] : [];
    }
    for (const { node, field } of images) await this.storage.assertOwnedBy(node, userId, field);
    const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
    return { values: set, images };
  }

  /** ID photos and certificates are served only to their owner and admins from now on. */
  private async makeImagesPrivate(manager: EntityManager, columns: Columns): Promise<void> {
    await this.storage.makePrivate(
      manager,
      columns.images.map((i) => i.node),
    );
  }
}
