import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10 item 6: the standing set of the income ranking is configured (RANK_STANDING_DAYS, RANK_STANDING_CITIES)
 * instead of growing with what guests ask for, so "last asked for" no longer decides anything. The refresh drops
 * combinations that are no longer listed on its next run.
 */
export class Issue10RankStandingSetConfigured1796310010400 implements MigrationInterface {
  name = 'Issue10RankStandingSetConfigured1796310010400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "income_rank_keys" DROP COLUMN "requested_at"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "income_rank_keys" ADD "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
  }
}
