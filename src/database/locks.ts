import { EntityManager } from 'typeorm';
import { firstRow } from './sql';

/** Takes a transaction-scoped advisory lock if it is free (released at commit); false when another session holds it. */
export async function tryTransactionLock(manager: EntityManager, key: number): Promise<boolean> {
  const row = await firstRow<{ locked: boolean }>(manager, 'SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
  return row!.locked;
}
