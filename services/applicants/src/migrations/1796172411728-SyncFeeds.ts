import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync feeds (`/api/v1/sync/applicants`, `/sync/activities`): every write stamps the row with
 * the writing transaction's id (`change_seq`), every delete — by the service, an import's
 * rollback or by hand — leaves a tombstone, and re-inserting an id takes its tombstone away.
 * Triggers, so no write path can forget; written by hand (TypeORM cannot express them).
 */
const STAMP_FUNCTION = `CREATE FUNCTION "applicants".sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := pg_current_xact_id()::text::bigint;
  IF TG_OP = 'INSERT' THEN
    DELETE FROM "applicants"."tombstone" WHERE entity = TG_ARGV[0] AND id = NEW.id;
  END IF;
  RETURN NEW;
END
$$`;

const TOMBSTONE_FUNCTION = `CREATE FUNCTION "applicants".sync_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "applicants"."tombstone" (entity, id, merged_into, removed_at, change_seq)
  VALUES (TG_ARGV[0], OLD.id, (to_jsonb(OLD) ->> 'merged_into')::uuid, now(), pg_current_xact_id()::text::bigint)
  ON CONFLICT (entity, id) DO UPDATE SET merged_into = EXCLUDED.merged_into, removed_at = EXCLUDED.removed_at, change_seq = EXCLUDED.change_seq;
  RETURN OLD;
END
$$`;

const SYNCED = ['applicant', 'timeline_entry'];

export class SyncFeeds1796172411728 implements MigrationInterface {
  name = 'SyncFeeds1796172411728';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."tombstone" ("entity" text NOT NULL, "id" uuid NOT NULL, "merged_into" uuid, "removed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "change_seq" bigint NOT NULL, CONSTRAINT "PK_b78f7473b68a2600989f7fb1de3" PRIMARY KEY ("entity", "id"))`);
    await queryRunner.query(`CREATE INDEX "tombstone_entity_change_seq_id" ON "applicants"."tombstone"  ("entity", "change_seq", "id") `);
    await queryRunner.query(`ALTER TABLE "applicants"."timeline_entry" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await queryRunner.query(`UPDATE "applicants"."timeline_entry" SET updated_at = at`);
    // Existing rows are stamped by this migration's transaction, then the triggers take over.
    for (const table of SYNCED) {
      await queryRunner.query(`ALTER TABLE "applicants"."${table}" ADD "change_seq" bigint`);
      await queryRunner.query(`UPDATE "applicants"."${table}" SET change_seq = pg_current_xact_id()::text::bigint`);
      await queryRunner.query(`ALTER TABLE "applicants"."${table}" ALTER COLUMN "change_seq" SET NOT NULL`);
    }
    await queryRunner.query(STAMP_FUNCTION);
    await queryRunner.query(TOMBSTONE_FUNCTION);
    for (const table of SYNCED) {
      await queryRunner.query(`CREATE TRIGGER ${table}_sync_stamp BEFORE INSERT OR UPDATE ON "applicants"."${table}" FOR EACH ROW EXECUTE FUNCTION "applicants".sync_stamp('${table}')`);
      await queryRunner.query(`CREATE TRIGGER ${table}_sync_tombstone AFTER DELETE ON "applicants"."${table}" FOR EACH ROW EXECUTE FUNCTION "applicants".sync_tombstone('${table}')`);
    }
    await queryRunner.query(`CREATE INDEX "applicant_change_seq_id" ON "applicants"."applicant"  ("change_seq", "id") `);
    await queryRunner.query(`CREATE INDEX "timeline_entry_change_seq_id" ON "applicants"."timeline_entry"  ("change_seq", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."timeline_entry_change_seq_id"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_change_seq_id"`);
    for (const table of SYNCED) {
      await queryRunner.query(`DROP TRIGGER ${table}_sync_tombstone ON "applicants"."${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_sync_stamp ON "applicants"."${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "applicants".sync_tombstone()`);
    await queryRunner.query(`DROP FUNCTION "applicants".sync_stamp()`);
    await queryRunner.query(`ALTER TABLE "applicants"."timeline_entry" DROP COLUMN "change_seq"`);
    await queryRunner.query(`ALTER TABLE "applicants"."timeline_entry" DROP COLUMN "updated_at"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "change_seq"`);
    await queryRunner.query(`DROP INDEX "applicants"."tombstone_entity_change_seq_id"`);
    await queryRunner.query(`DROP TABLE "applicants"."tombstone"`);
  }
}
