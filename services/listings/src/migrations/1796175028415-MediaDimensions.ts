import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaDimensions1796175028415 implements MigrationInterface {
  name = 'MediaDimensions1796175028415';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "listings"."listing_media" ADD "width" integer`);
    await queryRunner.query(`ALTER TABLE "listings"."listing_media" ADD "height" integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "listings"."listing_media" DROP COLUMN "height"`);
    await queryRunner.query(`ALTER TABLE "listings"."listing_media" DROP COLUMN "width"`);
  }
}
