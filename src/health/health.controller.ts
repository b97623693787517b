import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/decorators/auth.decorators.js';

/** Terminus's answer (documented here: terminus documents it only when it finds @nestjs/swagger by require, which it does not always). */
const INDICATORS = { type: 'object', nullable: true, additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } };
const HEALTH = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'], example: 'ok' },
    info: { ...INDICATORS, example: { database: { status: 'up' } } },
    error: { ...INDICATORS, example: {} },
    details: { ...INDICATORS, example: { database: { status: 'up' } } },
  },
};

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: '200 when the database answers, 503 otherwise' })
  @ApiOkResponse({ description: 'The database answers', schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer', schema: HEALTH })
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 3000 })]);
  }
}
