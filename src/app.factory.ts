import { BadRequestException, HttpException, INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, AppModuleOptions } from './app.module.js';
import { toErrorBody } from './common/filters/all-exceptions.filter.js';
import { defineTags, documentApiKeyRefusal, documentBodyErrors } from './common/openapi.js';
import { answerClientError, BODY_LIMIT, securityHeaders, useHttpPlugins } from './common/http.js';
import { AppLogger, createLogger, requestIdOf, useRequestLogging } from './common/logging.js';
import { webRoutes } from './web/web-paths.js';
import { useWebPlugins } from './web/web-plugins.js';

export const API_PREFIX = 'api/v1';

/** Pages people open from email links live outside the JSON API's prefix. */
const OUTSIDE_PREFIX = [{ path: 'health', method: RequestMethod.ALL }, ...webRoutes()];

/** Fastify's router answers 414 for a longer route parameter (default 100); Express had no such limit. */
const MAX_PARAM_LENGTH = 16 * 1024;

/**
 * The router rejects a path with a malformed percent-encoding before any hook runs: answered in the
 * error shape, with the security headers and the request id.
 */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  securityHeaders(request.raw, reply.raw, () => undefined);
  const segment = request.raw.url?.split('?')[0].split('/').find((part) => !decodes(part));
  const exception =
    segment !== undefined ? new BadRequestException(`Failed to decode param '${segment}'`) : new HttpException(error.message, error.statusCode ?? 400);
  reply.header('X-Request-Id', request.id).status(exception.getStatus()).send(toErrorBody(exception, request.id));
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the application (used by main.ts and by the test harness); does not listen.
 *
 * On Fastify: paths match case-insensitively and with a trailing slash, route parameters of any
 * length reach the handler (which checks them); bodies, ETags and security headers are Fastify's
 * and its plugins' (see common/http.ts).
 */
export async function createApp(options: AppModuleOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: options.config.trustProxy === false ? false : options.config.trustProxy.join(','),
    bodyLimit: BODY_LIMIT,
    genReqId: requestIdOf,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const logger = createLogger(options.config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: new AppLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  await useHttpPlugins(app);
  await useWebPlugins(app);
  useRequestLogging(app.getHttpAdapter().getInstance(), logger);
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_PREFIX });

  const document = documentApiKeyRefusal(documentBodyErrors(defineTags(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kompetenslyft API')
      .setDescription(
        'Competence development for the social economy in Östra Mellansverige: organisations, needs mapping, ' +
          'course catalogue, matching, bookings and follow-up. Errors always have the shape ' +
          '`{ statusCode, code, message, details?, requestId }`.',
      )
      .setVersion('1')
      .addServer(options.config.publicBaseUrl)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A provider\'s API key (klk_…), also accepted as the bearer token, on routes where provider staff act' }, 'apiKey')
      .build(),
  ))));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
