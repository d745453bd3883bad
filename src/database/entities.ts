import { Ability } from '../auth/abilities/entities/ability.entity';
import { RoleAbility } from '../auth/abilities/entities/role-ability.entity';
import { Role } from '../auth/abilities/entities/role.entity';
import { UserRole } from '../auth/abilities/entities/user-role.entity';
import { AuthSession } from '../auth/auth-session.entity';
import { UserCurrency } from '../currency/user-currency.entity';
import { UserExtra } from '../users/entities/user-extra.entity';
import { User } from '../users/entities/user.entity';
import { VerifyCode } from '../verify-codes/verify-code.entity';
import { Wallet } from '../wallet/wallet.entity';
import { Follow } from '../follows/follow.entity';
import { UserField } from '../operator/user-field.entity';
import { IdempotencyRecord } from '../common/idempotency/idempotency-record.entity';
import { CurrencyLedgerEntry } from '../currency/currency-ledger-entry.entity';
import { IncomeDaily } from '../currency/income-daily.entity';
import { IncomeWindow, IncomeWindowTotal } from '../currency/income-windows.entities';
import { IncomeRankEntry, IncomeRankKey, IncomeRankRun } from '../ranking/income-rank.entities';
import { WalletLedgerEntry } from '../wallet/wallet-ledger-entry.entity';
import { Address } from '../addresses/address.entity';
import { Verification } from '../verification/verification.entity';
import { StoredFile } from '../storage/stored-file.entity';
import { RecommendedUser } from '../users/entities/recommended-user.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Tag, TagCategory, UserTag } from '../tags/tag.entities';
import { UploadTask } from '../storage/upload-task.entity';
import { UserPosition } from '../nearby/user-position.entity';
import { CheckinDay } from '../checkin/checkin-day.entity';
import { Withdrawal } from '../withdrawals/withdrawal.entity';

/** Every entity, listed explicitly so the app, the CLI and the tests see the same schema. */
export const ENTITIES = [
  User,
  UserExtra,
  Wallet,
  UserCurrency,
  VerifyCode,
  AuthSession,
  Role,
  Ability,
  RoleAbility,
  UserRole,
  Follow,
  StoredFile,
  RecommendedUser,
  Verification,
  Address,
  CurrencyLedgerEntry,
  WalletLedgerEntry,
  IncomeDaily,
  IncomeWindow,
  IncomeWindowTotal,
  IncomeRankKey,
  IncomeRankEntry,
  IncomeRankRun,
  IdempotencyRecord,
  UserField,
  AuditEntry,
  TagCategory,
  Tag,
  UserTag,
  UploadTask,
  UserPosition,
  Withdrawal,
  CheckinDay,
];
