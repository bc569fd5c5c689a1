import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@pace/config';
import { PUBLIC_API, gatewayService } from '../service';
import { buildOpenApiDocument } from './openapi';

/**
 * Writes the gateway's OpenAPI document to a file without a database or any other service:
 * Nest's preview mode builds the module graph (all the document needs) without instantiating
 * providers. CI lints the file with Redocly.  Usage: node dist/services/gateway/src/api/export-openapi.js [file]
 */
async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? 'dist/openapi.json');
  // Placeholders: only their shape matters, nothing connects anywhere.
  const config = loadConfig('gateway', gatewayService.env, {
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    APPLICANTS_GRPC_URL: '127.0.0.1:1',
    LISTINGS_URL: 'http://127.0.0.1:1',
    SYNDICATION_URL: 'http://127.0.0.1:1',
    CALLER_SIGNING_SECRET: 'x'.repeat(32),
    OIDC_CLIENT_ID: 'unused',
    OIDC_REDIRECT_URL: 'http://127.0.0.1/api/v1/auth/callback',
    ALLOWED_DOMAINS: 'example.com',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(gatewayService.module(config), { preview: true, logger: false, abortOnError: false });
  const document = buildOpenApiDocument(app, PUBLIC_API);
  writeFileSync(file, JSON.stringify(document, null, 2) + '\n');
  console.error(`wrote ${path.relative(process.cwd(), file)} (${Object.keys(document.paths).length} paths)`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
