import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 16: the retention job finds aged codes, sessions and idempotency keys by these indexes, not by a scan. */
export class IndexRetentionIssue161796290100016 implements MigrationInterface {
  name = 'IndexRetentionIssue161796290100016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "auth_sessions_revoked_idx" ON "auth_sessions"  ("revoked_at") WHERE revoked_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "auth_sessions_created_idx" ON "auth_sessions"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "verify_codes_created_idx" ON "verify_codes"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys"  ("created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."verify_codes_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."auth_sessions_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."auth_sessions_revoked_idx"`);
  }
}
