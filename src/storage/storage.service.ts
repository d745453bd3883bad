import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { invalid, notFound } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow, runSql } from '../database/sql';
import { FileRecord, toFileView } from './file.view';
import { FILE_STORE, FileStore } from './file-store';
import { withoutMetadata } from './image-metadata';
import { readImage } from './image-type';

/** `public:YYYY/MM/DD/<32 hex>.<ext>`: anything else is not a node (and cannot walk out of STORAGE_DIR). */
const NODE = /^public:(\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{32}\.(?:jpg|png|gif|webp))$/;

/** Where the bytes of a public node live in the file store (and under STORAGE_DIR for `local`). */
const keyOf = (relative: string) => `public/${relative}`;

/** The file-store key of a node's bytes (the node is checked against NODE first). */
export const storeKeyOf = (node: string) => keyOf(NODE.exec(node)![1]);

export const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

export interface StoredFileRow extends FileRecord {
  id: number;
  owner_id: number;
  private: boolean;
}

const ROW_COLUMNS = 'id, node, owner_id, mime, size, width, height, private';

/** Private files (ID photos, certificates) are served to their owner and to reviewers only. */
const REVIEW_ABILITY = 'admin:verification:review';

@Injectable()
export class StorageService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly abilities: AbilitiesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORE) private readonly files: FileStore,
  ) {}

  /**
   * Keeps an uploaded image for its owner, whichever API it came through (POST /storage, PUT of an upload task,
   * POST /files, /user/avatar, /user/bg). The type comes from the bytes; the image is re-encoded without metadata.
   * The same content (md5 of the bytes as sent) uploaded again by the same owner is the file they already have: the
   * partial unique index (owner_id, md5) decides, also between parallel uploads. `claim` runs in the transaction that
   * records the file (an upload task is used up there, or nothing is written).
   */
  async keep(ownerId: number, received: Buffer, claim?: (manager: EntityManager) => Promise<void>): Promise<StoredFileRow> {
    const md5 = md5Of(received);
    if (!claim) {
      const existing = await this.ownedByMd5(ownerId, md5);
      if (existing) return existing;
    }
    const bytes = await withoutMetadata(received);
    const image = readImage(bytes);
    if (!image) throw invalid('file', 'file_not_image');
    const relative = `${this.today()}/${randomBytes(16).toString('hex')}.${image.extension}`;
    await this.files.put(keyOf(relative), bytes, image.mime);
    let kept: StoredFileRow | null = null;
    try {
      kept = await this.db.transaction(async (manager) => {
        await claim?.(manager);
        const row = await firstRow<StoredFileRow>(
          manager,
          `INSERT INTO files (node, owner_id, mime, size, width, height, md5) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (owner_id, md5) WHERE md5 IS NOT NULL AND NOT private DO NOTHING RETURNING ${ROW_COLUMNS}`,
          [`public:${relative}`, ownerId, image.mime, bytes.length, image.width, image.height, md5],
        );
        return row ?? (await this.ownedByMd5(ownerId, md5, manager));
      });
    } finally {
      if (!kept || kept.node !== `public:${relative}`) await this.files.remove(keyOf(relative)).catch(() => undefined);
    }
    if (!kept) throw notFound();
    return kept;
  }

  view(file: FileRecord) {
    return toFileView(this.config.publicUrl, file);
  }

  /** The caller's own public file with this content (md5 of the bytes as uploaded), if any. */
  async ownedByMd5(ownerId: number, md5: string, manager: EntityManager = this.db.manager): Promise<StoredFileRow | null> {
    const row = await firstRow<StoredFileRow>(
      manager,
      `SELECT ${ROW_COLUMNS} FROM files WHERE owner_id = $1 AND md5 = $2 AND md5 IS NOT NULL AND NOT private`,
      [ownerId, md5.toLowerCase()],
    );
    return row ?? null;
  }

  /** The file behind a node, for `GET /storage/:node`; private files only for their owner and admins. */
  async open(node: string, viewerId: number | null): Promise<{ content: Readable; row: StoredFileRow }> {
    if (!NODE.test(node)) throw notFound();
    const found = await firstRow<StoredFileRow>(this.db, `SELECT ${ROW_COLUMNS} FROM files WHERE node = $1`, [node]);
    const row = await this.visible(found, viewerId);
    return { content: await this.files.read(storeKeyOf(node)), row };
  }

  /** The file with this integer id (the legacy `/files/:id` API), under the same rule as `open`. */
  async findById(id: number, viewerId: number | null): Promise<StoredFileRow> {
    const row = await firstRow<StoredFileRow>(this.db, `SELECT ${ROW_COLUMNS} FROM files WHERE id = $1`, [id]);
    return this.visible(row, viewerId);
  }

  private async visible(row: StoredFileRow | undefined, viewerId: number | null): Promise<StoredFileRow> {
    if (!row || !NODE.test(row.node)) throw notFound();
    if (row.private && !(viewerId !== null && (viewerId === row.owner_id || (await this.abilities.has(viewerId, REVIEW_ABILITY))))) {
      throw notFound();
    }
    return row;
  }

  /** A node a user wants to use (avatar, bg, ID photos) must exist and be theirs. */
  async assertOwnedBy(node: unknown, userId: number, field: string): Promise<void> {
    if (typeof node !== 'string' || !NODE.test(node)) throw invalid(field, 'file_not_usable');
    const row = await firstRow<{ owner_id: number }>(this.db, 'SELECT owner_id FROM files WHERE node = $1', [node]);
    if (!row || row.owner_id !== userId) throw invalid(field, 'file_not_usable');
  }

  private today(): string {
    const now = new Date();
    return [now.getUTCFullYear(), String(now.getUTCMonth() + 1).padStart(2, '0'), String(now.getUTCDate()).padStart(2, '0')].join('/');
  }

  /** From now on served only to their owner and admins (ID photos, certificates), in the caller's transaction. */
  async makePrivate(manager: EntityManager, nodes: string[]): Promise<void> {
    if (nodes.length) await runSql(manager, 'UPDATE files SET private = true WHERE node = ANY($1)', [nodes]);
  }

  /**
   * The nodes of files named by their integer ids (the legacy `/files` API's ids), in the order given; each must exist
   * and be the user's, else 422 on `field` (the same answer for "missing" and "someone else's").
   */
  async nodesOwnedBy(ids: number[], userId: number, field: string): Promise<string[]> {
    const { rows } = await runSql<{ id: number; node: string }>(this.db, 'SELECT id, node FROM files WHERE id = ANY($1::bigint[]) AND owner_id = $2', [
      ids,
      userId,
    ]);
    const byId = new Map(rows.map((row) => [Number(row.id), row.node]));
    return ids.map((id) => {
      const node = byId.get(id);
      if (!node) throw invalid(field, 'file_not_usable');
      return node;
    });
  }
}
