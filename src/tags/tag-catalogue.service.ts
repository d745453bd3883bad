import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { AdminActor } from '../common/auth/viewer';
import { ApiError, invalid, notFound } from '../common/errors/api-error';
import { foreignKeyViolation, uniqueViolation } from '../common/errors/database-errors';
import { SqlParams } from '../database/sql-params';
import { firstRow, runSql } from '../database/sql';
import { AdminTagListQuery, CreateTagCategoryDto, CreateTagDto, UpdateTagCategoryDto, UpdateTagDto } from './dto/tags.dto';
import { TAG_COLUMNS } from './tag.view';

const CATEGORY_COLUMNS = `c.id, c.name, c.weight, (SELECT count(*) FROM tags t WHERE t.tag_category_id = c.id)::int AS tags_count`;
const ADMIN_TAG_COLUMNS = `${TAG_COLUMNS}, (SELECT count(*) FROM user_tags ut WHERE ut.tag_id = t.id)::int AS users_count`;

/** Deletes row `id` of `table` unless a row of `referencedBy` points at it (404 when absent, 422 `inUse` when used). */
async function deleteUnreferenced(
  manager: EntityManager,
  id: number,
  ref: { table: 'tags' | 'tag_categories'; referencedBy: 'user_tags' | 'tags'; column: string },
  inUse: 'tag_in_use' | 'tag_category_not_empty',
): Promise<void> {
  const row = await firstRow<{ removed: boolean }>(
    manager,
    `WITH target AS (SELECT id FROM ${ref.table} WHERE id = $1 FOR UPDATE),
          removed AS (DELETE FROM ${ref.table} x USING target
                       WHERE x.id = target.id AND NOT EXISTS (SELECT 1 FROM ${ref.referencedBy} r WHERE r.${ref.column} = target.id)
                       RETURNING x.id)
     SELECT EXISTS (SELECT 1 FROM removed) AS removed FROM target`,
    [id],
  );
  if (!row) throw notFound();
  if (!row.removed) throw new ApiError(422, inUse);
}

/** The admins' side of tags (`/api/v2/admin/tags…`): categories and tags, every write audited. */
@Injectable()
export class TagCatalogue {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  async listCategories() {
    return (await runSql(this.db, `SELECT ${CATEGORY_COLUMNS} FROM tag_categories c ORDER BY c.weight DESC, c.id`)).rows;
  }

  async createCategory(admin: AdminActor, dto: CreateTagCategoryDto) {
    const id = await this.write(admin, 'tag_category.create', dto, 'tag_category_exists', async (manager) => {
      const row = await firstRow<{ id: number }>(manager, 'INSERT INTO tag_categories (name, weight) VALUES ($1, $2) RETURNING id', [
        dto.name,
        dto.weight ?? 0,
      ]);
      return row!.id;
    });
    return this.category(id);
  }

  async updateCategory(admin: AdminActor, id: number, dto: UpdateTagCategoryDto) {
    await this.write(admin, 'tag_category.update', { id, ...dto }, 'tag_category_exists', async (manager) => {
      const { rowCount } = await runSql(
        manager,
        `UPDATE tag_categories SET name = COALESCE($2, name), weight = COALESCE($3, weight), updated_at = now() WHERE id = $1`,
        [id, dto.name ?? null, dto.weight ?? null],
      );
      if (rowCount !== 1) throw notFound();
    });
    return this.category(id);
  }

  /** Only an empty category goes (its tags first). */
  async deleteCategory(admin: AdminActor, id: number): Promise<void> {
    await this.write(admin, 'tag_category.delete', { id }, 'tag_category_exists', (manager) =>
      deleteUnreferenced(manager, id, { table: 'tag_categories', referencedBy: 'tags', column: 'tag_category_id' }, 'tag_category_not_empty'),
    );
  }

  async listTags(query: AdminTagListQuery) {
    const params = new SqlParams();
    const where: string[] = [];
    if (query.category != null) where.push(`t.tag_category_id = ${params.add(query.category)}`);
    if (query.keyword) where.push(`strpos(lower(t.name), ${params.add(query.keyword.toLowerCase())}) > 0`);
    return (
      await runSql(
        this.db,
        `SELECT ${ADMIN_TAG_COLUMNS} FROM tags t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY t.id DESC LIMIT ${params.add(query.limit ?? 20)} OFFSET ${params.add(query.offset ?? 0)}`,
        params.values,
      )
    ).rows;
  }

  async tag(id: number) {
    const row = await firstRow(this.db, `SELECT ${ADMIN_TAG_COLUMNS} FROM tags t WHERE t.id = $1`, [id]);
    if (!row) throw notFound();
    return row;
  }

  async createTag(admin: AdminActor, dto: CreateTagDto) {
    const id = await this.write(admin, 'tag.create', dto, 'tag_exists', async (manager) => {
      const row = await firstRow<{ id: number }>(
        manager,
        `INSERT INTO tags (name, tag_category_id, weight) SELECT $1, c.id, $3 FROM tag_categories c WHERE c.id = $2 RETURNING id`,
        [dto.name, dto.category, dto.weight ?? 0],
      );
      if (!row) throw invalid('category', 'tag_category_unknown');
      return row.id;
    });
    return this.tag(id);
  }

  async updateTag(admin: AdminActor, id: number, dto: UpdateTagDto) {
    await this.write(admin, 'tag.update', { id, ...dto }, 'tag_exists', async (manager) => {
      if (dto.category != null) {
        const category = await firstRow(manager, 'SELECT 1 FROM tag_categories WHERE id = $1 FOR KEY SHARE', [dto.category]);
        if (!category) throw invalid('category', 'tag_category_unknown');
      }
      const { rowCount } = await runSql(
        manager,
        `UPDATE tags SET name = COALESCE($2, name), tag_category_id = COALESCE($3, tag_category_id), weight = COALESCE($4, weight),
                updated_at = now() WHERE id = $1`,
        [id, dto.name ?? null, dto.category ?? null, dto.weight ?? null],
      );
      if (rowCount !== 1) throw notFound();
    });
    return this.tag(id);
  }

  /** A tag users hold stays (as in the original): they remove it first, or it stays in the catalogue. */
  async deleteTag(admin: AdminActor, id: number): Promise<void> {
    await this.write(admin, 'tag.delete', { id }, 'tag_exists', (manager) =>
      deleteUnreferenced(manager, id, { table: 'tags', referencedBy: 'user_tags', column: 'tag_id' }, 'tag_in_use'),
    );
  }

  private async category(id: number) {
    const row = await firstRow(this.db, `SELECT ${CATEGORY_COLUMNS} FROM tag_categories c WHERE c.id = $1`, [id]);
    if (!row) throw notFound();
    return row;
  }

  /**
   * Runs a write with its audit entry in one transaction. A duplicate name answers 422 `duplicate`; a foreign key that
   * a parallel write broke (the category went, a user took the tag) answers what the check before it would have.
   */
  private async write<T>(
    admin: AdminActor,
    action: string,
    summary: object,
    duplicate: 'tag_exists' | 'tag_category_exists',
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.db.transaction(async (manager) => {
        const result = await work(manager);
        await this.audit.record(manager, admin, action, null, { ...summary });
        return result;
      });
    } catch (error) {
      if (uniqueViolation(error) !== undefined) throw invalid('name', duplicate);
      if (foreignKeyViolation(error)) {
        if (action === 'tag.delete') throw new ApiError(422, 'tag_in_use');
        if (action === 'tag_category.delete') throw new ApiError(422, 'tag_category_not_empty');
        throw invalid('category', 'tag_category_unknown');
      }
      throw error;
    }
  }
}
