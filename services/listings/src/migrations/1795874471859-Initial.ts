import type { MigrationInterface, QueryRunner } from 'typeorm';

// The search vector's expression as of this migration (the entity's SEARCH_VECTOR_SQL).
const SEARCH_VECTOR =
  "setweight(to_tsvector('english'::regconfig, coalesce(title_en, '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(title_ar, '')), 'A') || setweight(to_tsvector('simple'::regconfig, reference || ' ' || community || ' ' || coalesce(sub_community, '') || ' ' || coalesce(building, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description_en, '')), 'C') || setweight(to_tsvector('simple'::regconfig, coalesce(description_ar, '')), 'C')";

export class Initial1795874471859 implements MigrationInterface {
  name = 'Initial1795874471859';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listings"."outbox" ("id" uuid NOT NULL, "type" text NOT NULL, "topic" text NOT NULL, "aggregate_id" text NOT NULL, "aggregate_version" bigint NOT NULL, "data" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "outbox_sent" ON "listings"."outbox"  ("sent_at") WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "outbox_pending" ON "listings"."outbox"  ("next_attempt_at", "id") WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "listings"."inbox" ("event_id" uuid NOT NULL, "type" text NOT NULL, "aggregate_id" text NOT NULL, "handled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9b85eb4cab41c7c6023b1e579d0" PRIMARY KEY ("event_id"))`);
    await queryRunner.query(`CREATE INDEX "inbox_handled_at" ON "listings"."inbox"  ("handled_at") `);
    await queryRunner.query(`CREATE TABLE "listings"."listing_audit" ("id" uuid NOT NULL, "listing_id" uuid NOT NULL, "action" text NOT NULL, "actor_id" text NOT NULL, "actor_role" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "before" jsonb, "after" jsonb, "comment" text, CONSTRAINT "PK_1fdc21ab0a5b1d011f096d72686" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_audit_actor" ON "listings"."listing_audit"  ("actor_id", "id") `);
    await queryRunner.query(`CREATE INDEX "listing_audit_listing" ON "listings"."listing_audit"  ("listing_id", "id") `);
    await queryRunner.query(`CREATE TABLE "listings"."agent_notice" ("id" uuid NOT NULL, "agent_id" uuid NOT NULL, "listing_id" uuid NOT NULL, "kind" text NOT NULL, "message" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2903ec67963340e8b5e5f85e9b4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "agent_notice_agent" ON "listings"."agent_notice"  ("agent_id", "id") `);
    await queryRunner.query(`CREATE TABLE "listings"."job_run" ("name" text NOT NULL, "last_run_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a72b11a6ed99e4f8554c29addef" PRIMARY KEY ("name"))`);
    await queryRunner.query(`CREATE TABLE "listings"."listing_approval" ("id" uuid NOT NULL, "listing_id" uuid NOT NULL, "decision" text NOT NULL, "comment" text, "decided_by" uuid NOT NULL, "decided_by_role" text NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0b7f26b7ea40d990dfa394f0a05" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_approval_listing" ON "listings"."listing_approval"  ("listing_id", "decided_at") `);
    // TypeORM keeps generated-column expressions in typeorm_metadata, keyed by database name; the
    // generator dropped the parameters of this insert, so they are written here.
    await queryRunner.query(
      `INSERT INTO "listings"."typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`,
      ['listings', 'listing', 'GENERATED_COLUMN', 'search_vector', SEARCH_VECTOR],
    );
    await queryRunner.query(`CREATE TABLE "listings"."listing" ("id" uuid NOT NULL, "reference" text NOT NULL, "status" text NOT NULL, "purpose" text NOT NULL, "rent_frequency" text, "category" text NOT NULL, "property_type" text NOT NULL, "price_fils" bigint, "currency" text NOT NULL DEFAULT 'AED', "bedrooms" smallint, "bathrooms" smallint, "size" numeric(12,2), "plot_size" numeric(12,2), "size_unit" text NOT NULL DEFAULT 'sqft', "emirate" text NOT NULL, "community" text NOT NULL, "sub_community" text, "building" text, "title_en" text, "title_ar" text, "description_en" text, "description_ar" text, "amenities" text array NOT NULL DEFAULT '{}', "furnishing" text, "completion_status" text NOT NULL DEFAULT 'ready', "permit_number" text, "permit_type" text, "permit_issue_date" date, "permit_expiry_date" date, "landlord_name" text, "landlord_phone" text, "landlord_email" text, "agent_id" uuid NOT NULL, "team_id" uuid, "portals" text array NOT NULL DEFAULT '{}', "created_by" uuid NOT NULL, "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(title_en, '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(title_ar, '')), 'A') || setweight(to_tsvector('simple'::regconfig, reference || ' ' || community || ' ' || coalesce(sub_community, '') || ' ' || coalesce(building, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description_en, '')), 'C') || setweight(to_tsvector('simple'::regconfig, coalesce(description_ar, '')), 'C')) STORED NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_381d45ebb8692362c156d6b87d7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_community" ON "listings"."listing"  ("community", "status", "price_fils") `);
    await queryRunner.query(`CREATE INDEX "listing_team" ON "listings"."listing"  ("team_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "listing_agent" ON "listings"."listing"  ("agent_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "listing_status_price" ON "listings"."listing"  ("status", "price_fils", "id") `);
    await queryRunner.query(`CREATE INDEX "listing_created_at_id" ON "listings"."listing"  ("created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "listing_reference" ON "listings"."listing"  ("reference") `);
    await queryRunner.query(`CREATE TABLE "listings"."listing_price" ("id" uuid NOT NULL, "listing_id" uuid NOT NULL, "price_fils" bigint NOT NULL, "currency" text NOT NULL DEFAULT 'AED', "purpose" text NOT NULL, "rent_frequency" text, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "changed_by" text NOT NULL, CONSTRAINT "PK_0c11dd4b1e05ba65a048c9d8ada" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_price_listing" ON "listings"."listing_price"  ("listing_id", "changed_at") `);
    await queryRunner.query(`CREATE TABLE "listings"."listing_media" ("id" uuid NOT NULL, "listing_id" uuid NOT NULL, "kind" text NOT NULL, "position" integer NOT NULL, "caption_en" text, "caption_ar" text, "object_key" text NOT NULL, "content_type" text NOT NULL, "size_bytes" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_95a44b7c28e30592adad8b85e51" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_media_listing" ON "listings"."listing_media"  ("listing_id", "kind", "position") `);
    // Written by hand (TypeORM does not manage these): the reference sequence, the full-text index
    // and the partial index the daily permit sweep reads.
    await queryRunner.query(`CREATE SEQUENCE "listings"."listing_reference_seq" START 1001`);
    await queryRunner.query(`CREATE INDEX "listing_search" ON "listings"."listing" USING gin ("search_vector")`);
    await queryRunner.query(`CREATE INDEX "listing_published_permit" ON "listings"."listing" ("permit_expiry_date") WHERE status = 'published'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "listings"."listing_published_permit"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_search"`);
    await queryRunner.query(`DROP SEQUENCE "listings"."listing_reference_seq"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_media_listing"`);
    await queryRunner.query(`DROP TABLE "listings"."listing_media"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_price_listing"`);
    await queryRunner.query(`DROP TABLE "listings"."listing_price"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_reference"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_created_at_id"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_status_price"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_agent"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_team"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_community"`);
    await queryRunner.query(`DROP TABLE "listings"."listing"`);
    await queryRunner.query(`DELETE FROM "listings"."typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "schema" = $3 AND "table" = $4`, ['GENERATED_COLUMN', 'search_vector', 'listings', 'listing']);
    await queryRunner.query(`DROP INDEX "listings"."listing_approval_listing"`);
    await queryRunner.query(`DROP TABLE "listings"."listing_approval"`);
    await queryRunner.query(`DROP TABLE "listings"."job_run"`);
    await queryRunner.query(`DROP INDEX "listings"."agent_notice_agent"`);
    await queryRunner.query(`DROP TABLE "listings"."agent_notice"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_audit_listing"`);
    await queryRunner.query(`DROP INDEX "listings"."listing_audit_actor"`);
    await queryRunner.query(`DROP TABLE "listings"."listing_audit"`);
    await queryRunner.query(`DROP INDEX "listings"."inbox_handled_at"`);
    await queryRunner.query(`DROP TABLE "listings"."inbox"`);
    await queryRunner.query(`DROP INDEX "listings"."outbox_pending"`);
    await queryRunner.query(`DROP INDEX "listings"."outbox_sent"`);
    await queryRunner.query(`DROP TABLE "listings"."outbox"`);
  }
}
