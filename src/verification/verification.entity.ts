import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../users/entities/user.entity';

export type VerificationType = 'user' | 'org';
/** -1 waiting for review, 0 rejected, 1 approved (the seed's numbers). */
export type VerificationState = -1 | 0 | 1;

/**
 * A real-name (`user`) or organisation (`org`) verification (认证), one per user. ID numbers and personal names are
 * stored only as AES-256-GCM ciphertext (`*_sealed`); the images are private file nodes.
 */
@Entity('verifications')
@Index('verifications_review_idx', ['state', 'createdAt'])
@Check('verifications_state_check', 'state IN (-1, 0, 1)')
@Check('verifications_type_check', `type IN ('user', 'org')`)
export class Verification {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' }) userId: number;
  @OneToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;

  @Column({ type: 'varchar', length: 8 }) type: VerificationType;
  @Column({ type: 'smallint', default: -1 }) state: VerificationState;
  @Column({ type: 'varchar', length: 255, nullable: true }) desc: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) slogan: string | null;
  @Column({ name: 'reject_reason', type: 'varchar', length: 255, nullable: true }) rejectReason: string | null;
  @Column({ name: 'phone_number', type: 'varchar', length: 11, nullable: true }) phoneNumber: string | null;

  @Column({ name: 'real_name_sealed', type: 'text', nullable: true }) realNameSealed: string | null;
  @Column({ name: 'id_number_sealed', type: 'text', nullable: true }) idNumberSealed: string | null;
  @Column({ name: 'id_card_front', type: 'varchar', length: 128, nullable: true }) idCardFront: string | null;
  @Column({ name: 'id_card_rear', type: 'varchar', length: 128, nullable: true }) idCardRear: string | null;

  @Column({ name: 'org_name', type: 'varchar', length: 128, nullable: true }) orgName: string | null;
  @Column({ name: 'org_address', type: 'varchar', length: 255, nullable: true }) orgAddress: string | null;
  @Column({ name: 'org_certificate', type: 'varchar', length: 128, nullable: true }) orgCertificate: string | null;
  @Column({ name: 'person_name_sealed', type: 'text', nullable: true }) personNameSealed: string | null;
  @Column({ name: 'person_number_sealed', type: 'text', nullable: true }) personNumberSealed: string | null;

  @Column({ name: 'reviewed_by', type: 'bigint', nullable: true }) reviewedBy: number | null;
  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true }) reviewedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
