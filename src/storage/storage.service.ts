import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { invalid, notFound } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { firstRow, runSql } from '../database/sql';
import { FileRecord, toFileView } from './file.view';
import { FILE_STORE, FileStore } from './file-store';
import { readImage } from './image-type';

/** `public:YYYY/MM/DD/<32 hex>.<ext>`: anything else is not a node (and cannot walk out of STORAGE_DIR). */
const NODE = /^public:(\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{32}\.(?:jpg|png|gif|webp))$/;

/** Where the bytes of a public node live in the file store (and under STORAGE_DIR for `local`). */
const keyOf = (relative: string) => `public/${relative}`;

export interface StoredFileRow extends FileRecord {
  owner_id: number;
  private: boolean;
}

@Injectable()
export class StorageService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly abilities: AbilitiesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORE) private readonly files: FileStore,
  ) {}

  /** Keeps an uploaded image; the type comes from its bytes, the dimensions from its header. */
  async store(ownerId: number, bytes: Buffer) {
    const image = readImage(bytes);
    if (!image) throw invalid('file', 'file_not_image');
    const now = new Date();
    const day = [now.getUTCFullYear(), String(now.getUTCMonth() + 1).padStart(2, '0'), String(now.getUTCDate()).padStart(2, '0')].join('/');
    const relative = `${day}/${randomBytes(16).toString('hex')}.${image.extension}`;
    const node = `public:${relative}`;
    await this.files.put(keyOf(relative), bytes, image.mime);
    const file: FileRecord = { node, mime: image.mime, size: bytes.length, width: image.width, height: image.height };
    try {
      await runSql(
        this.db,
        'INSERT INTO files (node, owner_id, mime, size, width, height) VALUES ($1, $2, $3, $4, $5, $6)',
        [node, ownerId, file.mime, file.size, file.width, file.height],
      );
    } catch (error) {
      await this.files.remove(keyOf(relative)).catch(() => undefined);
      throw error;
    }
    return toFileView(this.config.publicUrl, file);
  }

  /** The file behind a node, for `GET /storage/:node`; private files only for their owner and admins. */
  async open(node: string, viewerId: number | null): Promise<{ content: Readable; row: StoredFileRow }> {
    const match = NODE.exec(node);
    if (!match) throw notFound();
    const row = await firstRow<StoredFileRow>(this.db, 'SELECT node, owner_id, mime, size, width, height, private FROM files WHERE node = $1', [node]);
    if (!row) throw notFound();
    if (row.private && !(viewerId !== null && (viewerId === row.owner_id || (await this.abilities.has(viewerId, 'admin:verification:review'))))) {
      throw notFound();
    }
    return { content: await this.files.read(keyOf(match[1])), row };
  }

  /** A node a user wants to use (avatar, bg, ID photos) must exist and be theirs. */
  async assertOwnedBy(node: unknown, userId: number, field: string): Promise<void> {
    if (typeof node !== 'string' || !NODE.test(node)) throw invalid(field, 'file_not_usable');
    const row = await firstRow<{ owner_id: number }>(this.db, 'SELECT owner_id FROM files WHERE node = $1', [node]);
    if (!row || row.owner_id !== userId) throw invalid(field, 'file_not_usable');
  }

  /** From now on served only to their owner and admins (ID photos, certificates), in the caller's transaction. */
  async makePrivate(manager: EntityManager, nodes: string[]): Promise<void> {
    if (nodes.length) await runSql(manager, 'UPDATE files SET private = true WHERE node = ANY($1)', [nodes]);
  }
}
