import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAdminAuditLogIssue101796283795878 implements MigrationInterface {
  name = 'AddAdminAuditLogIssue101796283795878';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "admin_audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" bigint NOT NULL, "actor_abilities" text array NOT NULL, "action" character varying(64) NOT NULL, "target_id" bigint, "summary" jsonb NOT NULL, "ip" character varying(64), "request_id" character varying(128), CONSTRAINT "PK_9425be48a9c753f5753017c61b2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "admin_audit_log_created_idx" ON "admin_audit_log"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "admin_audit_log_action_idx" ON "admin_audit_log"  ("action", "id") `);
    await queryRunner.query(`CREATE INDEX "admin_audit_log_target_idx" ON "admin_audit_log"  ("target_id", "id") `);
    await queryRunner.query(`CREATE INDEX "admin_audit_log_actor_idx" ON "admin_audit_log"  ("actor_id", "id") `);
    // Append-only in the database too: no UPDATE, DELETE or TRUNCATE, whoever connects with the service's role.
    await queryRunner.query(`CREATE FUNCTION admin_audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'admin_audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(`CREATE TRIGGER admin_audit_log_append_only BEFORE UPDATE OR DELETE ON "admin_audit_log"
            FOR EACH ROW EXECUTE FUNCTION admin_audit_log_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER admin_audit_log_no_truncate BEFORE TRUNCATE ON "admin_audit_log"
            FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_log_refuse_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER admin_audit_log_no_truncate ON "admin_audit_log"`);
    await queryRunner.query(`DROP TRIGGER admin_audit_log_append_only ON "admin_audit_log"`);
    await queryRunner.query(`DROP FUNCTION admin_audit_log_refuse_change()`);
    await queryRunner.query(`DROP INDEX "public"."admin_audit_log_actor_idx"`);
    await queryRunner.query(`DROP INDEX "public"."admin_audit_log_target_idx"`);
    await queryRunner.query(`DROP INDEX "public"."admin_audit_log_action_idx"`);
    await queryRunner.query(`DROP INDEX "public"."admin_audit_log_created_idx"`);
    await queryRunner.query(`DROP TABLE "admin_audit_log"`);
  }
}
