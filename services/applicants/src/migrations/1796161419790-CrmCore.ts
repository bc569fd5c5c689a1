import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names as written ('simple': Arabic names and Latin transliterations match as typed), phones in
 * E.164 and local (05…) form, emails; tags and communities also English-stemmed. A trigger keeps
 * it, as the column depends on arrays (a generated column cannot use array_to_string, which is
 * not immutable).
 */
const SEARCH_FUNCTION = `CREATE FUNCTION "applicants".applicant_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('simple'::regconfig, coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')), 'A') ||
    setweight(to_tsvector('simple'::regconfig, array_to_string(NEW.phones, ' ') || ' ' || regexp_replace(array_to_string(NEW.phones, ' '), '[+]971', '0', 'g') || ' ' || array_to_string(NEW.emails, ' ')), 'B') ||
    setweight(to_tsvector('simple'::regconfig, array_to_string(NEW.tags, ' ') || ' ' || array_to_string(NEW.communities, ' ')), 'C') ||
    setweight(to_tsvector('english'::regconfig, array_to_string(NEW.tags, ' ') || ' ' || array_to_string(NEW.communities, ' ')), 'C');
  RETURN NEW;
END
$$`;

export class CrmCore1796161419790 implements MigrationInterface {
  name = 'CrmCore1796161419790';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."applicant_audit" ("id" uuid NOT NULL, "applicant_id" uuid NOT NULL, "action" text NOT NULL, "actor_id" text NOT NULL, "actor_role" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "before" jsonb, "after" jsonb, CONSTRAINT "PK_583067b32acf7423ce9e8fb4493" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "applicant_audit_actor" ON "applicants"."applicant_audit"  ("actor_id", "id") `);
    await queryRunner.query(`CREATE INDEX "applicant_audit_applicant" ON "applicants"."applicant_audit"  ("applicant_id", "id") `);
    await queryRunner.query(`CREATE TABLE "applicants"."timeline_entry" ("id" uuid NOT NULL, "applicant_id" uuid NOT NULL, "origin_applicant_id" uuid NOT NULL, "kind" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "summary" text NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_61a61c7f75f9c69d73d7a2fd666" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "timeline_entry_applicant_id" ON "applicants"."timeline_entry"  ("applicant_id", "id") `);
    await queryRunner.query(`CREATE TABLE "applicants"."lead" ("source" text NOT NULL, "portal_lead_id" text NOT NULL, "applicant_id" uuid NOT NULL, "team_id" uuid, "agent_id" uuid, "assigned_at" TIMESTAMP WITH TIME ZONE, "claim_deadline" TIMESTAMP WITH TIME ZONE, "claimed_at" TIMESTAMP WITH TIME ZONE, "reassignments" integer NOT NULL DEFAULT '0', "matched" boolean NOT NULL, "channel" text, "listing_id" uuid, "listing_reference" text, "message" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_fde02cbb976e07980f9b7317b8d" PRIMARY KEY ("source", "portal_lead_id"))`);
    await queryRunner.query(`CREATE INDEX "lead_applicant" ON "applicants"."lead"  ("applicant_id") `);
    await queryRunner.query(`CREATE TABLE "applicants"."roster_agent" ("team_id" uuid NOT NULL, "agent_id" uuid NOT NULL, "active" boolean NOT NULL DEFAULT true, "position" integer NOT NULL DEFAULT '0', "last_assigned_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a19202a8e40b9f745ce05480b8a" PRIMARY KEY ("team_id", "agent_id"))`);
    await queryRunner.query(`CREATE TABLE "applicants"."lead_route" ("source" text NOT NULL, "team_id" uuid NOT NULL, CONSTRAINT "PK_2a43a759e67aa2a1dee6fa1c4c0" PRIMARY KEY ("source"))`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "status" text NOT NULL DEFAULT 'new'`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "lost_reason" text`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "source" text NOT NULL DEFAULT 'walk_in'`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "tags" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "preferred_language" text`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "nationality" text`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "whatsapp_opt_in" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "email_opt_in" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "intent" text`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "property_types" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "bedrooms_min" smallint`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "bedrooms_max" smallint`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "budget_min_fils" bigint`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "budget_max_fils" bigint`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "communities" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "furnishing" text`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "move_in_date" date`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "merged_into" uuid`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" ADD "search_vector" tsvector`);
    await queryRunner.query(`CREATE INDEX "applicant_status" ON "applicants"."applicant"  ("status", "created_at") `);
    // Written by hand (the entity marks them synchronize: false).
    await queryRunner.query(SEARCH_FUNCTION);
    await queryRunner.query(
      `CREATE TRIGGER applicant_search_vector BEFORE INSERT OR UPDATE ON "applicants"."applicant" FOR EACH ROW EXECUTE FUNCTION "applicants".applicant_search_vector()`,
    );
    await queryRunner.query(`UPDATE "applicants"."applicant" SET first_name = first_name`);
    await queryRunner.query(`CREATE INDEX "applicant_search" ON "applicants"."applicant" USING gin ("search_vector")`);
    await queryRunner.query(`CREATE INDEX "applicant_phones" ON "applicants"."applicant" USING gin ("phones")`);
    await queryRunner.query(`CREATE INDEX "applicant_emails" ON "applicants"."applicant" USING gin ("emails")`);
    await queryRunner.query(`CREATE INDEX "applicant_tags" ON "applicants"."applicant" USING gin ("tags")`);
    await queryRunner.query(`CREATE INDEX "lead_unclaimed" ON "applicants"."lead" ("claim_deadline") WHERE claimed_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."lead_unclaimed"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_tags"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_emails"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_phones"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_search"`);
    await queryRunner.query(`DROP TRIGGER applicant_search_vector ON "applicants"."applicant"`);
    await queryRunner.query(`DROP FUNCTION "applicants".applicant_search_vector()`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_status"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "search_vector"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "merged_into"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "move_in_date"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "furnishing"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "communities"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "budget_max_fils"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "budget_min_fils"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "bedrooms_max"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "bedrooms_min"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "property_types"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "intent"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "email_opt_in"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "whatsapp_opt_in"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "nationality"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "preferred_language"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "tags"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "source"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "lost_reason"`);
    await queryRunner.query(`ALTER TABLE "applicants"."applicant" DROP COLUMN "status"`);
    await queryRunner.query(`DROP TABLE "applicants"."lead_route"`);
    await queryRunner.query(`DROP TABLE "applicants"."roster_agent"`);
    await queryRunner.query(`DROP INDEX "applicants"."lead_applicant"`);
    await queryRunner.query(`DROP TABLE "applicants"."lead"`);
    await queryRunner.query(`DROP INDEX "applicants"."timeline_entry_applicant_id"`);
    await queryRunner.query(`DROP TABLE "applicants"."timeline_entry"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_audit_applicant"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_audit_actor"`);
    await queryRunner.query(`DROP TABLE "applicants"."applicant_audit"`);
  }
}
