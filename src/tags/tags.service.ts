import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { invalid, notFound } from '../common/errors/api-error';
import { foreignKeyViolation } from '../common/errors/database-errors';
import { SqlParams } from '../database/sql-params';
import { firstRow, runSql } from '../database/sql';
import { DISCOVERY_LIMIT } from '../users/user-directory.service';
import { NOT_LIVE_USER } from '../users/live-user';
import { UserViews } from '../users/user-views.service';
import { PublicUser } from '../users/views/user.view';
import { MAX_TAGS_PER_USER } from './tag.entities';
import { TAG_COLUMNS, TAGS_OF_CATEGORY, TagView } from './tag.view';

/** How often a PUT retries when a parallel PUT of the same user took the slot it aimed at. */
const SLOT_ATTEMPTS = 10;

/**
 * Tags users hold (thinksns-compat §4): the catalogue, a user's tags (at most five, one numbered slot each) and the
 * users who share the viewer's tags. The tag tables are written here and in TagCatalogue only.
 */
@Injectable()
export class TagsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: UserViews,
  ) {}

  /** `GET /tags`: every category, larger weight first, with its tags. */
  async categories() {
    return (
      await runSql(
        this.db,
        `SELECT c.id, c.name, c.weight, ${TAGS_OF_CATEGORY} AS tags
         FROM tag_categories c LEFT JOIN tags t ON t.tag_category_id = c.id
        GROUP BY c.id ORDER BY c.weight DESC, c.id`,
      )
    ).rows;
  }

  /** The tags a user holds, in the order they were added. */
  async ofUser(userId: number): Promise<TagView[]> {
    return (
      await runSql<TagView>(
        this.db,
        `SELECT ${TAG_COLUMNS} FROM user_tags ut JOIN tags t ON t.id = ut.tag_id WHERE ut.user_id = $1 ORDER BY ut.created_at, ut.slot`,
        [userId],
      )
    ).rows;
  }

  /**
   * `PUT /user/tags/:tag`: takes the lowest free slot. The slot's unique key settles parallel requests: the one that
   * lost its slot tries the next (and is refused once all five are taken).
   */
  async attach(userId: number, tagId: number): Promise<void> {
    for (let attempt = 0; attempt < SLOT_ATTEMPTS; attempt++) {
      const [outcome] = await this.addToFreeSlot(userId, tagId);
      if (!outcome) throw notFound();
      if (outcome.added) return;
      if (outcome.held) throw invalid('tag', 'tag_already_held', { tag: outcome.name });
      if (outcome.held_count >= MAX_TAGS_PER_USER) throw invalid('tag', 'tags_full', { max: MAX_TAGS_PER_USER });
    }
    // Still racing after every attempt: the other requests filled the slots or hold the tag; ask again.
    throw invalid('tag', 'tags_full', { max: MAX_TAGS_PER_USER });
  }

  private async addToFreeSlot(userId: number, tagId: number): Promise<Array<{ name: string; added: boolean; held: boolean; held_count: number }>> {
    try {
      return (
        await runSql<{ name: string; added: boolean; held: boolean; held_count: number }>(
          this.db,
          `WITH tag AS (SELECT id, name FROM tags WHERE id = $2),
              held AS (SELECT tag_id, slot FROM user_tags WHERE user_id = $1),
              added AS (
                INSERT INTO user_tags (user_id, tag_id, slot)
                SELECT $1, tag.id, free.slot FROM tag, generate_series(1, ${MAX_TAGS_PER_USER}) AS free(slot)
                 WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.tag_id = tag.id)
                   AND NOT EXISTS (SELECT 1 FROM held WHERE held.slot = free.slot)
                 ORDER BY free.slot LIMIT 1
                ON CONFLICT DO NOTHING RETURNING tag_id)
         SELECT tag.name, EXISTS (SELECT 1 FROM added) AS added,
                EXISTS (SELECT 1 FROM held WHERE held.tag_id = tag.id) AS held,
                (SELECT count(*) FROM held)::int AS held_count
           FROM tag`,
          [userId, tagId],
        )
      ).rows;
    } catch (error) {
      // An admin deleted the tag (or the account went) between the read and the insert.
      if (foreignKeyViolation(error)) throw notFound();
      throw error;
    }
  }

  /** `DELETE /user/tags/:tag`. */
  async detach(userId: number, tagId: number): Promise<void> {
    const outcome = await firstRow<{ name: string; removed: boolean }>(
      this.db,
      `WITH tag AS (SELECT id, name FROM tags WHERE id = $2),
            removed AS (DELETE FROM user_tags ut USING tag WHERE ut.user_id = $1 AND ut.tag_id = tag.id RETURNING ut.tag_id)
       SELECT tag.name, EXISTS (SELECT 1 FROM removed) AS removed FROM tag`,
      [userId, tagId],
    );
    if (!outcome) throw notFound();
    if (!outcome.removed) throw invalid('tag', 'tag_not_held', { tag: outcome.name });
  }

  /**
   * `GET /user/find-by-tags`: live users holding any of the viewer's tags, newest first, without the viewer. Each of the
   * viewer's (at most five) tags contributes its newest `offset + limit` holders from the (tag_id, user_id) index, so
   * the work is bounded by the page, not by how many people hold a popular tag.
   */
  sharingTagsWith(viewerId: number, limit = DISCOVERY_LIMIT, offset = 0): Promise<PublicUser[]> {
    const params = new SqlParams();
    const viewer = params.add(viewerId);
    const window = params.add(offset + limit);
    return this.views.list({
      from: `(SELECT DISTINCT holder.user_id
                FROM user_tags mine
                CROSS JOIN LATERAL (
                  SELECT other.user_id FROM user_tags other
                   WHERE other.tag_id = mine.tag_id AND other.user_id <> ${viewer}::bigint
                     AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = other.user_id AND (${NOT_LIVE_USER}))
                   ORDER BY other.user_id DESC LIMIT ${window}::int) holder
               WHERE mine.user_id = ${viewer}::bigint) m JOIN users u ON u.id = m.user_id`,
      orderBy: 'u.id DESC',
      limit,
      offset,
      relativeTo: { follower: viewerId, following: viewerId },
      params,
    });
  }
}
