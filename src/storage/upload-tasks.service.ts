import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { firstRow, runSql } from '../database/sql';
import { ApiError, invalid, notFound } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CreateUploadTaskDto } from './dto/upload-task.dto';
import { md5Of, StorageService } from './storage.service';

/** How long the signed PUT URL of a task works: enough for a slow phone upload of STORAGE_MAX_BYTES, short enough to be useless when leaked. */
export const UPLOAD_TASK_TTL_SECONDS = 15 * 60;

interface TaskRow {
  id: number;
  owner_id: number;
  md5: string;
  size: number;
  used: boolean;
  expired: boolean;
}

export interface SignedUpload {
  task: string;
  expires: string;
  signature: string;
}

/**
 * ThinkSNS+ 2.x upload tasks: `POST /storage` announces a file (md5, size) and gets a signed URL of this service;
 * `PUT` of the raw bytes to it stores the file through the same path as every other upload (StorageService.keep).
 * The URL is the credential (the clients PUT it without their token, like a presigned object-store URL): an HMAC of
 * (task, owner, expiry) under a key derived from JWT_SECRET. It only accepts the announced bytes, once.
 */
@Injectable()
export class UploadTasksService {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: StorageService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'user-service', 'upload-task-url', 32));
  }

  async create(ownerId: number, dto: CreateUploadTaskDto, origin: string) {
    if (dto.size > this.config.storageMaxBytes) throw invalid('size', 'v.max', { max: String(this.config.storageMaxBytes) });
    const expires = Math.floor(Date.now() / 1000) + UPLOAD_TASK_TTL_SECONDS;
    const task = (await firstRow<{ id: number }>(
      this.db,
      'INSERT INTO upload_tasks (owner_id, md5, size, expires_at) VALUES ($1, $2, $3, to_timestamp($4)) RETURNING id',
      [ownerId, dto.hash.toLowerCase(), dto.size, expires],
    ))!;
    // A user's spent and expired tasks go as they create new ones (owner index): the table holds recent tasks only.
    await runSql(this.db, "DELETE FROM upload_tasks WHERE owner_id = $1 AND expires_at < now() - interval '1 day'", [ownerId]);
    const signature = this.sign(task.id, ownerId, expires);
    return {
      uri: `${this.config.publicUrl || origin}/api/v2/storage/uploads/${task.id}?expires=${expires}&signature=${signature}`,
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      form: null,
      file_key: null,
      // Known once the bytes are in (the PUT answers it): the content decides the type and the de-duplication.
      node: null,
    };
  }

  /** `PUT` of the bytes: signature and expiry, owner (a token of someone else → 404), size and md5, then one use only. */
  async complete(link: SignedUpload, viewerId: number | null, bytes: Buffer): Promise<{ node: string }> {
    const task = await this.checkedTask(link, viewerId);
    if (bytes.length !== task.size) throw invalid('file', 'upload_size_mismatch');
    if (md5Of(bytes) !== task.md5) throw invalid('file', 'upload_hash_mismatch');
    const file = await this.storage.keep(task.owner_id, bytes, (manager) => this.useUp(task.id, manager));
    return { node: file.node };
  }

  private async checkedTask(link: SignedUpload, viewerId: number | null): Promise<TaskRow> {
    if (!/^\d{1,15}$/.test(link.task)) throw notFound();
    const task = await firstRow<TaskRow>(
      this.db,
      'SELECT id, owner_id, md5, size, used_at IS NOT NULL AS used, expires_at <= now() AS expired FROM upload_tasks WHERE id = $1',
      [Number(link.task)],
    );
    if (!task || (viewerId !== null && viewerId !== task.owner_id)) throw notFound();
    const expires = /^\d{1,12}$/.test(link.expires) ? Number(link.expires) : 0;
    if (task.expired || expires * 1000 < Date.now() || !this.signatureMatches(link.signature, this.sign(task.id, task.owner_id, expires))) {
      throw new ApiError(403, 'upload_link_invalid');
    }
    if (task.used) throw new ApiError(409, 'upload_task_used');
    return task;
  }

  /** The conditional update that makes a task single use, also between parallel PUTs (the loser gets 409). */
  private async useUp(taskId: number, manager: EntityManager): Promise<void> {
    const used = await runSql(manager, 'UPDATE upload_tasks SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()', [taskId]);
    if (used.rowCount !== 1) throw new ApiError(409, 'upload_task_used');
  }

  private sign(taskId: number, ownerId: number, expires: number): string {
    return createHmac('sha256', this.key).update(`${taskId}.${ownerId}.${expires}`).digest('base64url');
  }

  private signatureMatches(given: string, expected: string): boolean {
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
