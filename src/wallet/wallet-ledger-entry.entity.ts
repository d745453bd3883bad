import { Check, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { LedgerEntryColumns } from '../common/ledger/ledger-entry.columns';
import { User } from '../users/entities/user.entity';

/** The money (钱包, 分) ledger (mobile-api §8). */
@Entity('wallet_ledger')
@Index('wallet_ledger_owner_idx', ['ownerId', 'id'])
@Check('wallet_ledger_amount_check', 'amount > 0')
@Check('wallet_ledger_type_check', 'type IN (-1, 1)')
export class WalletLedgerEntry extends LedgerEntryColumns {
  @ManyToOne(() => User, { onDelete: 'RESTRICT' }) @JoinColumn({ name: 'owner_id' }) owner?: User;
}
