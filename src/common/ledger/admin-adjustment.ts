import { EntityManager } from 'typeorm';
import { AdminActor } from '../auth/viewer';
import { invalid } from '../errors/api-error';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { Ledger } from './ledger';
import { AdminAdjustDto } from './ledger.dto';

/** A balance an admin may credit or debit: points (currency) or money (wallet), described by its owning module. */
export interface AdjustableBalance {
  /** `currency` / `wallet`: the audit action is `<name>.adjust`, the idempotency scope `admin-<name>:<user>` */
  name: string;
  ledger: Ledger;
  /** ledger titles when the admin gives none */
  titles: { credit: string; debit: string };
  /** what else a credit does in the same transaction (points: it counts as earned income) */
  afterCredit?: (manager: EntityManager, ownerId: number, amount: number) => Promise<void>;
}

/** The collaborators of an adjustment: the owning services of idempotency records, the admin's reach and the audit log. */
export interface AdjustmentSteps {
  /** 404 unless the user exists (not cancelled; a disabled user may still be credited or debited) */
  assertExists(userId: number): Promise<void>;
  idempotency: IdempotencyService;
  abilities: { assertMayActOn(manager: EntityManager, actorId: number, targetId: number): Promise<void> };
  audit: { record(manager: EntityManager, actor: AdminActor, action: string, targetId: number | null, summary?: Record<string, unknown>): Promise<void> };
}

/**
 * The admin money adjustment, once for points and money: a credit (positive amount) or a debit that never takes the
 * balance below zero (422 `balance_insufficient`), audited, idempotent, in one transaction, for a user that exists.
 */
export async function adjustByAdmin(
  steps: AdjustmentSteps,
  balance: AdjustableBalance,
  admin: AdminActor,
  userId: number,
  dto: AdminAdjustDto,
  key: string | undefined,
  message: string,
) {
  await steps.assertExists(userId);
  return steps.idempotency.run(admin.id, key, `admin-${balance.name}:${userId}`, dto, async (manager) => {
    await steps.abilities.assertMayActOn(manager, admin.id, userId);
    await steps.audit.record(manager, admin, `${balance.name}.adjust`, userId, { amount: dto.amount, title: dto.title ?? null });
    const entry = {
      title: dto.title ?? (dto.amount > 0 ? balance.titles.credit : balance.titles.debit),
      body: dto.body,
      targetType: 'admin',
      targetId: admin.id,
    };
    if (dto.amount > 0) {
      await balance.ledger.credit(manager, userId, dto.amount, entry);
      await balance.afterCredit?.(manager, userId, dto.amount);
    } else if (!(await balance.ledger.debit(manager, userId, -dto.amount, entry))) {
      throw invalid('amount', 'balance_insufficient');
    }
    return { message };
  });
}
