import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 16: when a user last wrote, so their reads stay on the primary for the read-your-writes window. */
export class AddUserWroteAtIssue161796290000016 implements MigrationInterface {
  name = 'AddUserWroteAtIssue161796290000016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "wrote_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "wrote_at"`);
  }
}
