import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module.js';

export const API_PREFIX = 'api/v1';

/** Pages people open from email links live outside the JSON API's prefix. */
const OUTSIDE_PREFIX = [
  { path: 'health', method: RequestMethod.ALL },
  { path: 'magic-link', method: RequestMethod.ALL },
  { path: 'invite/:token', method: RequestMethod.ALL },
  { path: 'survey/:token', method: RequestMethod.ALL },
  { path: 'survey/:token/opt-out', method: RequestMethod.ALL },
];

/** Builds the application (used by main.ts and by the test harness); does not listen. */
export async function createApp(options: AppModuleOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', options.config.trustProxy);
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_PREFIX });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kompetenslyft API')
      .setDescription(
        'Competence development for the social economy in Östra Mellansverige: organisations, needs mapping, ' +
          'course catalogue, matching, bookings and follow-up. Errors always have the shape ' +
          '`{ statusCode, code, message, details?, requestId }`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
