import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ListingShares1796571644520 implements MigrationInterface {
  name = 'ListingShares1796571644520';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "applicants"."listing_share" ("id" uuid NOT NULL, "applicant_id" uuid NOT NULL, "listing_id" uuid NOT NULL, "reference" text NOT NULL, "title" text NOT NULL DEFAULT '', "channel" text NOT NULL, "note" text NOT NULL DEFAULT '', "shared_by" uuid, "shared_at" TIMESTAMP WITH TIME ZONE NOT NULL, "timeline_entry_id" uuid NOT NULL, "idempotency_key" text, CONSTRAINT "PK_fc6c162431c24e13ad08b67967b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "listing_share_idempotency" ON "applicants"."listing_share"  ("applicant_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "listing_share_applicant_listing" ON "applicants"."listing_share"  ("applicant_id", "listing_id", "id") `);
    await queryRunner.query(`CREATE INDEX "listing_share_applicant_id" ON "applicants"."listing_share"  ("applicant_id", "id") `);
    await queryRunner.query(`ALTER TABLE "applicants"."listing_share" ADD CONSTRAINT "FK_5e9a1b88a2d764f06fce1c03958" FOREIGN KEY ("applicant_id") REFERENCES "applicants"."applicant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "applicants"."listing_share" DROP CONSTRAINT "FK_5e9a1b88a2d764f06fce1c03958"`);
    await queryRunner.query(`DROP INDEX "applicants"."listing_share_applicant_id"`);
    await queryRunner.query(`DROP INDEX "applicants"."listing_share_applicant_listing"`);
    await queryRunner.query(`DROP INDEX "applicants"."listing_share_idempotency"`);
    await queryRunner.query(`DROP TABLE "applicants"."listing_share"`);
  }
}
