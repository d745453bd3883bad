import { Check, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { LedgerEntryColumns } from '../common/ledger/ledger-entry.columns';
import { User } from '../users/entities/user.entity';

/** The points (积分) ledger (mobile-api §8). */
@Entity('currency_ledger')
@Index('currency_ledger_owner_idx', ['ownerId', 'id'])
@Check('currency_ledger_amount_check', 'amount > 0')
@Check('currency_ledger_type_check', 'type IN (-1, 1)')
export class CurrencyLedgerEntry extends LedgerEntryColumns {
  @ManyToOne(() => User, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'owner_id' }) owner?: User;
}
