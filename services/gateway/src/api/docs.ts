import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { ApiDocument, buildOpenApiDocument } from './openapi';

export const DOCS_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/openapi.json';

/** OpenAPI 3.1 as JSON and Swagger UI (public: the API's shape is no secret; its data is). */
export function serveApiDocs(app: INestApplication, modules: (new () => object)[]): void {
  const document = buildOpenApiDocument(app, modules);
  app.get(ApiDocument).document = document;
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'PACE API',
    swaggerOptions: { withCredentials: true, persistAuthorization: false },
  });
}
