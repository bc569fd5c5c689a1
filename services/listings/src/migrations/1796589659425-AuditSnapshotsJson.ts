import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Audit snapshots as json (kept as written) instead of jsonb; existing rows are converted, not dropped. */
export class AuditSnapshotsJson1796589659425 implements MigrationInterface {
  name = 'AuditSnapshotsJson1796589659425';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "listings"."listing_audit" ALTER COLUMN "before" TYPE json USING "before"::json, ALTER COLUMN "after" TYPE json USING "after"::json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "listings"."listing_audit" ALTER COLUMN "before" TYPE jsonb USING "before"::jsonb, ALTER COLUMN "after" TYPE jsonb USING "after"::jsonb`);
  }
}
