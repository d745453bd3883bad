import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../database/transactions';
import { ApiError } from '../errors/api-error';
import { deleteBatch } from '../../database/prune';
import { firstRow, runSql } from '../../database/sql';

const KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * `Idempotency-Key` for money-moving routes (mobile-api §8). The key row is inserted in the same transaction as the
 * money move: a concurrent repeat waits on it, then replays the first answer; a repeat with another body is refused.
 * A request that failed wrote nothing, so its repeat runs again.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(userId: number, key: string | undefined, route: string, request: unknown, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (key === undefined) return inTransaction(this.db, work);
    if (!KEY.test(key)) throw new ApiError(422, 'idempotency_key_invalid', {}, [{ field: 'Idempotency-Key', key: 'idempotency_key_invalid' }]);
    const hash = createHash('sha256')
      .update(`${route}\n${JSON.stringify(request)}`)
      .digest('hex');
    return inTransaction(this.db, async (manager) => {
      const claimed = await runSql(
        manager,
        `INSERT INTO idempotency_keys (user_id, key, route, request_hash, status, body)
         VALUES ($1, $2, $3, $4, 0, 'null') ON CONFLICT DO NOTHING`,
        [userId, key, route, hash],
      );
      if (!claimed.rowCount) {
        const first = (await firstRow<{ request_hash: string; body: unknown }>(
          manager,
          'SELECT request_hash, body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
          [userId, key],
        ))!;
        if (first.request_hash !== hash) {
          throw new ApiError(422, 'idempotency_key_reused', {}, [{ field: 'Idempotency-Key', key: 'idempotency_key_reused' }]);
        }
        return first.body as T;
      }
      const result = await work(manager);
      await runSql(manager, 'UPDATE idempotency_keys SET status = 201, body = $3 WHERE user_id = $1 AND key = $2', [userId, key, JSON.stringify(result)]);
      return result;
    });
  }

  /** Retention: keys older than 24 hours (a repeat after that runs again). */
  prune(manager: EntityManager, limit: number): Promise<number> {
    return deleteBatch(manager, 'idempotency_keys', `created_at < now() - interval '24 hours'`, [], limit);
  }
}
