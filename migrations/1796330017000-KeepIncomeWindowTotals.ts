import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: running totals of earned income per kept window (the ranking's standing days), so that the 3-minute refresh
 * reads a top N instead of summing up to 365 days of daily rows. Triggers on `currency_income_daily` keep them for every
 * writer, set-based per statement (a bulk import is one aggregated upsert). The functions and triggers are written by
 * hand; the two tables are as generated. Existing windows are built by the service on its next refresh.
 */
export class KeepIncomeWindowTotals1796330017000 implements MigrationInterface {
  name = 'KeepIncomeWindowTotals1796330017000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "currency_income_window_days" ("days" integer NOT NULL, "as_of" date NOT NULL, "built_through" bigint, CONSTRAINT "PK_7dd6d922031a6713e4b85eecd04" PRIMARY KEY ("days"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "currency_income_windows" ("days" integer NOT NULL, "owner_id" bigint NOT NULL, "amount" bigint NOT NULL, CONSTRAINT "currency_income_windows_amount_check" CHECK (amount >= 0), CONSTRAINT "PK_b11ec92702ce409bcf6cbeae9fe" PRIMARY KEY ("days", "owner_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "currency_income_windows_top_idx" ON "currency_income_windows" ("days", "amount" DESC, "owner_id") WHERE "amount" > 0`,
    );
    // The lock (0x696e6377, "incw") is shared by writers of daily rows; rolling a window to a new day or building one
    // takes it exclusively (src/currency/income-windows.ts), so a window never misses nor double-counts a day being
    // written meanwhile. A daily row counts in a window when its day is after as_of - days and, while the window is
    // being built (owner ids in steps), its owner is among those already summed.
    await queryRunner.query(`
      CREATE FUNCTION currency_income_windows_follow_daily() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changes text := CASE TG_OP
          WHEN 'INSERT' THEN 'SELECT owner_id, day, amount FROM new_rows'
          WHEN 'DELETE' THEN 'SELECT owner_id, day, -amount FROM old_rows'
          ELSE 'SELECT owner_id, day, amount FROM new_rows UNION ALL SELECT owner_id, day, -amount FROM old_rows' END;
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(1768842103);
        IF TG_OP = 'TRUNCATE' THEN
          DELETE FROM currency_income_windows;
          RETURN NULL;
        END IF;
        -- Existing totals take the change (it may be negative); new ones are inserted (a first amount is positive:
        -- CHECK applies to the proposed row of an INSERT before ON CONFLICT, so a negative one cannot go that way).
        EXECUTE format(
          'WITH delta AS (
             SELECT w.days, c.owner_id, sum(c.amount) AS amount FROM (%s) c (owner_id, day, amount)
               JOIN currency_income_window_days w ON c.day > w.as_of - w.days AND (w.built_through IS NULL OR c.owner_id <= w.built_through)
              GROUP BY w.days, c.owner_id HAVING sum(c.amount) <> 0),
           changed AS (
             UPDATE currency_income_windows t SET amount = t.amount + d.amount FROM delta d
              WHERE t.days = d.days AND t.owner_id = d.owner_id RETURNING t.days, t.owner_id)
           INSERT INTO currency_income_windows (days, owner_id, amount)
           SELECT d.days, d.owner_id, d.amount FROM delta d
            WHERE NOT EXISTS (SELECT 1 FROM changed c WHERE c.days = d.days AND c.owner_id = d.owner_id)
           ON CONFLICT (days, owner_id) DO UPDATE SET amount = currency_income_windows.amount + EXCLUDED.amount', changes);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER currency_income_windows_on_insert AFTER INSERT ON currency_income_daily
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION currency_income_windows_follow_daily()`);
    await queryRunner.query(`CREATE TRIGGER currency_income_windows_on_update AFTER UPDATE ON currency_income_daily
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION currency_income_windows_follow_daily()`);
    await queryRunner.query(`CREATE TRIGGER currency_income_windows_on_delete AFTER DELETE ON currency_income_daily
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION currency_income_windows_follow_daily()`);
    await queryRunner.query(`CREATE TRIGGER currency_income_windows_on_truncate AFTER TRUNCATE ON currency_income_daily
      FOR EACH STATEMENT EXECUTE FUNCTION currency_income_windows_follow_daily()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['truncate', 'delete', 'update', 'insert']) {
      await queryRunner.query(`DROP TRIGGER currency_income_windows_on_${event} ON currency_income_daily`);
    }
    await queryRunner.query(`DROP FUNCTION currency_income_windows_follow_daily()`);
    await queryRunner.query(`DROP INDEX "public"."currency_income_windows_top_idx"`);
    await queryRunner.query(`DROP TABLE "currency_income_windows"`);
    await queryRunner.query(`DROP TABLE "currency_income_window_days"`);
  }
}
