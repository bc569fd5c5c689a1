import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ListingPublication1796172336021 implements MigrationInterface {
  name = 'ListingPublication1796172336021';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "listings"."listing_publication" ("listing_id" uuid NOT NULL, "portal" text NOT NULL, "desired_state" text NOT NULL, "state" text NOT NULL, "message" text, "portal_listing_id" text, "version" bigint NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_325bb2b243feb884f2e3c15e2fc" PRIMARY KEY ("listing_id", "portal"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "listings"."listing_publication"`);
  }
}
