import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1795874761439 implements MigrationInterface {
  name = 'Identity1795874761439';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "gateway"."audit_entry" ("id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "action" text NOT NULL, "target_type" text NOT NULL, "target_id" text NOT NULL, "before" jsonb, "after" jsonb, "request_id" text, CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "audit_entry_actor_id" ON "gateway"."audit_entry"  ("actor_id") `);
    await queryRunner.query(`CREATE INDEX "audit_entry_target_id" ON "gateway"."audit_entry"  ("target_id") `);
    await queryRunner.query(`CREATE INDEX "audit_entry_at_id" ON "gateway"."audit_entry"  ("at", "id") `);
    await queryRunner.query(`CREATE TABLE "gateway"."service_principal" ("id" uuid NOT NULL, "name" text NOT NULL, "description" text, "status" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c7ec1070ea8dc4194abe1f82692" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "service_principal_name" ON "gateway"."service_principal"  ("name") `);
    await queryRunner.query(`CREATE TABLE "gateway"."api_token" ("id" uuid NOT NULL, "principal_id" uuid NOT NULL, "token_hash" text NOT NULL, "prefix" text NOT NULL, "scopes" text array NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "api_token_token_hash" ON "gateway"."api_token"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "api_token_principal_id" ON "gateway"."api_token"  ("principal_id") `);
    await queryRunner.query(`CREATE TABLE "gateway"."session" ("id" uuid NOT NULL, "token_hash" text NOT NULL, "user_id" uuid NOT NULL, "csrf_token" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" text, "user_agent" text, CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "session_token_hash" ON "gateway"."session"  ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "session_user_id" ON "gateway"."session"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "gateway"."login_state" ("state_hash" text NOT NULL, "code_verifier" text NOT NULL, "nonce" text NOT NULL, "return_to" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a85790debf2b8a625319238c89c" PRIMARY KEY ("state_hash"))`);
    await queryRunner.query(`CREATE INDEX "login_state_expires_at" ON "gateway"."login_state"  ("expires_at") `);
    await queryRunner.query(`CREATE TABLE "gateway"."team" ("id" uuid NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f57d8293406df4af348402e4b74" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "team_name" ON "gateway"."team"  ("name") `);
    await queryRunner.query(`CREATE TABLE "gateway"."team_membership" ("user_id" uuid NOT NULL, "team_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7c9b58ff793d53a2b4482238152" PRIMARY KEY ("user_id", "team_id"))`);
    await queryRunner.query(`CREATE INDEX "team_membership_team_id" ON "gateway"."team_membership"  ("team_id") `);
    await queryRunner.query(`CREATE TABLE "gateway"."user_account" ("id" uuid NOT NULL, "google_sub" text, "email" text NOT NULL, "name" text, "role" text, "status" text NOT NULL, "hosted_domain" text, "last_sign_in_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL, CONSTRAINT "PK_6acfec7285fdf9f463462de3e9f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "user_account_google_sub" ON "gateway"."user_account"  ("google_sub") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "user_account_email" ON "gateway"."user_account"  ("email") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "gateway"."user_account_email"`);
    await queryRunner.query(`DROP INDEX "gateway"."user_account_google_sub"`);
    await queryRunner.query(`DROP TABLE "gateway"."user_account"`);
    await queryRunner.query(`DROP INDEX "gateway"."team_membership_team_id"`);
    await queryRunner.query(`DROP TABLE "gateway"."team_membership"`);
    await queryRunner.query(`DROP INDEX "gateway"."team_name"`);
    await queryRunner.query(`DROP TABLE "gateway"."team"`);
    await queryRunner.query(`DROP INDEX "gateway"."login_state_expires_at"`);
    await queryRunner.query(`DROP TABLE "gateway"."login_state"`);
    await queryRunner.query(`DROP INDEX "gateway"."session_user_id"`);
    await queryRunner.query(`DROP INDEX "gateway"."session_token_hash"`);
    await queryRunner.query(`DROP TABLE "gateway"."session"`);
    await queryRunner.query(`DROP INDEX "gateway"."api_token_principal_id"`);
    await queryRunner.query(`DROP INDEX "gateway"."api_token_token_hash"`);
    await queryRunner.query(`DROP TABLE "gateway"."api_token"`);
    await queryRunner.query(`DROP INDEX "gateway"."service_principal_name"`);
    await queryRunner.query(`DROP TABLE "gateway"."service_principal"`);
    await queryRunner.query(`DROP INDEX "gateway"."audit_entry_at_id"`);
    await queryRunner.query(`DROP INDEX "gateway"."audit_entry_target_id"`);
    await queryRunner.query(`DROP INDEX "gateway"."audit_entry_actor_id"`);
    await queryRunner.query(`DROP TABLE "gateway"."audit_entry"`);
  }
}
