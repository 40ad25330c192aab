import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { WithheldDto } from './access/dto/withheld.dto.js';
import { MAX_TOKEN_TTL_SECONDS } from './auth/tokens.js';

/**
 * The OpenAPI document of the API, as served at /docs-json and as the web workspace's client is
 * generated from (scripts/openapi.ts): one definition, so the two cannot differ. It passes the
 * OWASP API rule set (test/e2e/openapi-owasp.test.ts).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cellule')
      .setDescription('Workflow of a CLSM complex-case commission (cellule de cas complexes) with professional secrecy enforced.')
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'The accessToken of POST /auth/login: a JWT (RFC 7519) in compact JWS form, signed by this server with HMAC-SHA256 ' +
          '(a secret of at least 32 bytes, CELLULE_TOKEN_SECRET), following the JWT best current practices of RFC8725: ' +
          'the header must be exactly {"alg":"HS256","typ":"JWT"} (no "none", no algorithm chosen by the token), the signature ' +
          `is compared in constant time, the token lives at most ${MAX_TOKEN_TTL_SECONDS} s (exp, and exp − iat capped), it says ` +
          'what it is for (typ "access"; the key signs no other kind of token), and it names the account generation, so a ' +
          'password change, a disabling, a role change or a removed second factor ends it at once. One issuer and one ' +
          'audience (this server): no iss or aud claim.',
      })
      .addCookieAuth('__Host-cellule-session', { type: 'apiKey', in: 'cookie', description: 'The web workspace session (POST /auth/session)' })
      // Every route not marked @Public (which declares `security: [{}]`) needs one of the two.
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('cookie')
      .build(),
    // Referenced by the case view's `withheld` map, which no class member names directly.
    { extraModels: [WithheldDto] },
  );
  declareFixedLengths(document);
  declareCommonErrors(document);
  declareRateLimitHeaders(document);
  return document;
}

/**
 * The formats whose text has a bounded length, whatever the field: a UUID (36 characters, the
 * only form IsUUID / ParseUUIDPipe accept), a date (YYYY-MM-DD), a date-time (RFC 3339 with at
 * most nine fractional digits and an offset: 35; the server writes 24, Date#toISOString).
 */
const FIXED_LENGTHS: Record<string, number> = { uuid: 36, date: 10, 'date-time': 35 };

function declareFixedLengths(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) declareFixedLengths(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.type === 'string' && typeof schema.format === 'string' && schema.maxLength === undefined && schema.format in FIXED_LENGTHS) {
    schema.maxLength = FIXED_LENGTHS[schema.format];
  }
  for (const value of Object.values(schema)) declareFixedLengths(value);
}

/** The limiter counts every route but the probes (src/app.ts), which this document leaves out. */
const RATE_LIMIT_NOTE = 'Sent when rate limiting is on (CELLULE_RATE_LIMIT, on by default: 600 requests per minute and client address; off: not sent).';

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': {
    description: `The requests a client address may make in the window (IETF draft RateLimit header fields). ${RATE_LIMIT_NOTE}`,
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 100_000_000 },
  },
  'RateLimit-Remaining': {
    description: `The requests left in the current window. ${RATE_LIMIT_NOTE}`,
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 100_000_000 },
  },
  'RateLimit-Reset': {
    description: `Seconds until the window (one minute) starts again. ${RATE_LIMIT_NOTE}`,
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 60 },
  },
};

/**
 * The server sends no CORS header: the API and the workspace share one origin, so a page of another
 * origin cannot read an answer. Declared as a header that is never present (no value is valid).
 */
const NO_CORS = {
  'Access-Control-Allow-Origin': {
    description: 'Never sent: cross-origin requests are not served (the workspace is served from the same origin as the API)',
    required: false,
    schema: { not: {} },
  },
};

const RETRY_AFTER = {
  description: 'Seconds to wait before trying again',
  schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 },
};

/** Every 2XX and 4XX answer carries the RateLimit-* headers when the limiter is on; a 429 also Retry-After. */
function declareRateLimitHeaders(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch, item.head, item.options]) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (!response || !/^[24]\d\d$/.test(status) || '$ref' in response) continue;
        response.headers = { ...RATE_LIMIT_HEADERS, ...(status === '429' ? { 'Retry-After': RETRY_AFTER } : {}), ...NO_CORS, ...response.headers };
      }
    }
  }
}

/**
 * What any route may answer beside its own: 500 (an unexpected error, saying nothing more), 429
 * (the rate limiter, when on), 401 for a route that needs credentials (src/auth/auth.guard.ts); and
 * every error is a problem detail (src/common/problem-details.filter.ts), declared as such.
 */
function declareCommonErrors(document: OpenAPIObject): void {
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } };
  const needsCredentials = (security: OpenAPIObject['security']) =>
    (security ?? document.security ?? []).length > 0 && (security ?? document.security ?? []).every((requirement) => Object.keys(requirement).length > 0);
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch, item.head, item.options]) {
      if (!operation) continue;
      const responses = operation.responses;
      responses['500'] ??= { description: 'Internal error: nothing more is said (the log keeps it)' };
      responses['429'] ??= { description: 'Too many requests from this address (when CELLULE_RATE_LIMIT is on): Retry-After says when to try again' };
      if (needsCredentials(operation.security)) responses['401'] ??= { description: 'No valid bearer token or session cookie' };
      for (const [status, response] of Object.entries(responses)) {
        if (response && /^[45]\d\d$/.test(status) && !('$ref' in response)) response.content ??= problem;
      }
    }
  }
}
