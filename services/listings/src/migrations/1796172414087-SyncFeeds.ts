import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync feed (`/api/v1/sync/listings`): every write stamps the listing with the writing
 * transaction's id (`change_seq`), every delete leaves a tombstone, re-inserting an id takes
 * its tombstone away. Triggers, so no write path can forget; written by hand.
 */
const STAMP_FUNCTION = `CREATE FUNCTION "listings".sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_seq := pg_current_xact_id()::text::bigint;
  IF TG_OP = 'INSERT' THEN
    DELETE FROM "listings"."tombstone" WHERE entity = TG_ARGV[0] AND id = NEW.id;
  END IF;
  RETURN NEW;
END
$$`;

const TOMBSTONE_FUNCTION = `CREATE FUNCTION "listings".sync_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "listings"."tombstone" (entity, id, merged_into, removed_at, change_seq)
  VALUES (TG_ARGV[0], OLD.id, NULL, now(), pg_current_xact_id()::text::bigint)
  ON CONFLICT (entity, id) DO UPDATE SET merged_into = EXCLUDED.merged_into, removed_at = EXCLUDED.removed_at, change_seq = EXCLUDED.change_seq;
  RETURN OLD;
END
$$`;

export class SyncFeeds1796172414087 implements MigrationInterface {
  name = 'SyncFeeds1796172414087';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listings"."tombstone" ("entity" text NOT NULL, "id" uuid NOT NULL, "merged_into" uuid, "removed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "change_seq" bigint NOT NULL, CONSTRAINT "PK_b78f7473b68a2600989f7fb1de3" PRIMARY KEY ("entity", "id"))`);
    await queryRunner.query(`CREATE INDEX "tombstone_entity_change_seq_id" ON "listings"."tombstone"  ("entity", "change_seq", "id") `);
    // Existing rows are stamped by this migration's transaction, then the triggers take over.
    await queryRunner.query(`ALTER TABLE "listings"."listing" ADD "change_seq" bigint`);
    await queryRunner.query(`UPDATE "listings"."listing" SET change_seq = pg_current_xact_id()::text::bigint`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" ALTER COLUMN "change_seq" SET NOT NULL`);
    await queryRunner.query(STAMP_FUNCTION);
    await queryRunner.query(TOMBSTONE_FUNCTION);
    await queryRunner.query(`CREATE TRIGGER listing_sync_stamp BEFORE INSERT OR UPDATE ON "listings"."listing" FOR EACH ROW EXECUTE FUNCTION "listings".sync_stamp('listing')`);
    await queryRunner.query(`CREATE TRIGGER listing_sync_tombstone AFTER DELETE ON "listings"."listing" FOR EACH ROW EXECUTE FUNCTION "listings".sync_tombstone('listing')`);
    await queryRunner.query(`CREATE INDEX "listing_change_seq_id" ON "listings"."listing"  ("change_seq", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "listings"."listing_change_seq_id"`);
    await queryRunner.query(`DROP TRIGGER listing_sync_tombstone ON "listings"."listing"`);
    await queryRunner.query(`DROP TRIGGER listing_sync_stamp ON "listings"."listing"`);
    await queryRunner.query(`DROP FUNCTION "listings".sync_tombstone()`);
    await queryRunner.query(`DROP FUNCTION "listings".sync_stamp()`);
    await queryRunner.query(`ALTER TABLE "listings"."listing" DROP COLUMN "change_seq"`);
    await queryRunner.query(`DROP INDEX "listings"."tombstone_entity_change_seq_id"`);
    await queryRunner.query(`DROP TABLE "listings"."tombstone"`);
  }
}
