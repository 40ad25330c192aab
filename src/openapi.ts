import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { WithheldDto } from './access/dto/withheld.dto.js';

/**
 * The OpenAPI document of the API, as served at /docs-json and as the web workspace's client is
 * generated from (scripts/openapi.ts): one definition, so the two cannot differ.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cellule')
      .setDescription('Workflow of a CLSM complex-case commission (cellule de cas complexes) with professional secrecy enforced.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth('__Host-cellule-session', { type: 'apiKey', in: 'cookie', description: 'The web workspace session (POST /auth/session)' })
      .build(),
    // Referenced by the case view's `withheld` map, which no class member names directly.
    { extraModels: [WithheldDto] },
  );
}
