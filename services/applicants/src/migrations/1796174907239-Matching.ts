import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Matching1796174907239 implements MigrationInterface {
  name = 'Matching1796174907239';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."listing_projection" ("id" uuid NOT NULL, "reference" text NOT NULL, "version" bigint NOT NULL, "status" text NOT NULL, "purpose" text NOT NULL, "rent_frequency" text NOT NULL DEFAULT '', "property_type" text NOT NULL, "bedrooms" smallint, "price_fils" bigint, "comparable_price_fils" bigint, "currency" text NOT NULL DEFAULT 'AED', "community" text NOT NULL DEFAULT '', "sub_community" text NOT NULL DEFAULT '', "furnishing" text NOT NULL DEFAULT '', "completion_status" text NOT NULL DEFAULT '', "title" text NOT NULL DEFAULT '', "agent_id" text NOT NULL DEFAULT '', "team_id" text NOT NULL DEFAULT '', "projected_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7cb2910d62cc9ae85f72e8fccd6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_projection_status_purpose" ON "applicants"."listing_projection"  ("status", "purpose") `);
    await queryRunner.query(`CREATE TABLE "applicants"."applicant_match" ("applicant_id" uuid NOT NULL, "listing_id" uuid NOT NULL, "score" smallint NOT NULL, "reasons" text array NOT NULL DEFAULT '{}', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_68837c0070eecc9208f969280f8" PRIMARY KEY ("applicant_id", "listing_id"))`);
    await queryRunner.query(`CREATE INDEX "applicant_match_listing_rank" ON "applicants"."applicant_match"  ("listing_id", "score", "applicant_id") `);
    await queryRunner.query(`CREATE INDEX "applicant_match_applicant_rank" ON "applicants"."applicant_match"  ("applicant_id", "score", "listing_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "applicants"."applicant_match_applicant_rank"`);
    await queryRunner.query(`DROP INDEX "applicants"."applicant_match_listing_rank"`);
    await queryRunner.query(`DROP TABLE "applicants"."applicant_match"`);
    await queryRunner.query(`DROP INDEX "applicants"."listing_projection_status_purpose"`);
    await queryRunner.query(`DROP TABLE "applicants"."listing_projection"`);
  }
}
