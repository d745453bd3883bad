import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOperatorProfileFields1795271062131 implements MigrationInterface {
  name = 'AddOperatorProfileFields1795271062131';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "user_fields" ("name" character varying(64) NOT NULL, "type" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "user_fields_type_check" CHECK (type IN ('string', 'integer', 'number', 'boolean', 'date', 'array', 'object')), CONSTRAINT "PK_d1fcf9cb9337c644eae3bd9c419" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "language" character varying(16) NOT NULL DEFAULT 'zh_CN'`);
    await queryRunner.query(`ALTER TABLE "users" ADD "openid" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "users" ADD "unionid" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "users" ADD "custom" jsonb NOT NULL DEFAULT '{}'`);
    // Hand-written: operator listings default to -created_at and filter on it (quality B5); custom values by containment.
    await queryRunner.query(`CREATE INDEX "users_created_idx" ON "users" ("created_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "users_custom_idx" ON "users" USING gin ("custom" jsonb_path_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "users_custom_idx"`);
    await queryRunner.query(`DROP INDEX "users_created_idx"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "custom"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "unionid"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "openid"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "language"`);
    await queryRunner.query(`DROP TABLE "user_fields"`);
  }
}
