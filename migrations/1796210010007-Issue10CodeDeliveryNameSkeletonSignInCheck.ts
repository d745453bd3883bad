import { MigrationInterface, QueryRunner } from 'typeorm';
import { fillNameSkeletons } from '../src/users/name-skeletons';

const BATCH = 10_000;

/**
 * Issue 10: codes record whether they were delivered; user names get their confusable skeleton (backfilled here, in
 * id order: when two live names already share a skeleton, the older account keeps it and the newer one stays NULL,
 * which the partial unique index allows, until it is renamed); a live user keeps some way to sign in.
 */
export class Issue10CodeDeliveryNameSkeletonSignInCheck1796210010007 implements MigrationInterface {
  name = 'Issue10CodeDeliveryNameSkeletonSignInCheck1796210010007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "verify_codes" ADD "delivered" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "users" ADD "name_skeleton" character varying(255)`);
    await this.backfillSkeletons(queryRunner);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_name_skeleton_key" ON "users" ("name_skeleton") WHERE "cancelled_at" IS NULL`);
    // NOT VALID first: enforced for every new write at once; validated only when no existing row breaks it, so a
    // database the old unbind race already damaged still migrates (those accounts need an operator).
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_sign_in_check" CHECK (cancelled_at IS NOT NULL OR password IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL) NOT VALID`,
    );
    const [broken] = await queryRunner.query(
      `SELECT 1 FROM "users" WHERE NOT (cancelled_at IS NOT NULL OR password IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL) LIMIT 1`,
    );
    if (!broken) await queryRunner.query(`ALTER TABLE "users" VALIDATE CONSTRAINT "users_sign_in_check"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_sign_in_check"`);
    await queryRunner.query(`DROP INDEX "users_name_skeleton_key"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "name_skeleton"`);
    await queryRunner.query(`ALTER TABLE "verify_codes" DROP COLUMN "delivered"`);
  }

  private async backfillSkeletons(queryRunner: QueryRunner): Promise<void> {
    const [{ max }] = await queryRunner.query(`SELECT coalesce(max(id), 0) AS max FROM "users"`);
    for (let from = 1; from <= Number(max); from += BATCH) {
      await fillNameSkeletons((text, values) => queryRunner.query(text, values), from, from + BATCH - 1);
    }
  }
}
