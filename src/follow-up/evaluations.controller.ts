import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { EvaluationFormDto, EvaluationReceivedDto, SubmitEvaluationDto } from './dto/evaluation.dto.js';
import { EvaluationsService } from './evaluations.service.js';

const TOKEN = { name: 'token', description: 'The token from the evaluation link in the email', example: 'q3v0bq1m3oGx2kqk1b7m8JtC0ZbYx3e4d5f6g7h8i9A' };

/** The JSON side of answering an evaluation (the same link opens an HTML form under /survey/:token). */
@ApiTags('follow-up')
@Public()
@Controller('evaluations')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Get(':token')
  @ApiOperation({ summary: 'The questionnaire behind an evaluation link (no sign-in: the link is the key)' })
  @ApiParam(TOKEN)
  @ApiOkResponse({ type: EvaluationFormDto })
  @ApiErrors(404, 409)
  form(@Param('token') token: string): Promise<EvaluationFormDto> {
    return this.evaluations.form(token);
  }

  @Post(':token/responses')
  @ApiOperation({
    summary: 'Answer an evaluation (once); the answer is stored anonymously',
    description:
      'Validated per question type; a 400 names each question key (`answers.<key>`) and stores nothing. A second answer is 409; ' +
      'an unknown or expired link is 404. The answer keeps no link to the person, and only the day, not the time.',
  })
  @ApiParam(TOKEN)
  @ApiCreatedResponse({ type: EvaluationReceivedDto })
  @ApiErrors(400, 404, 409)
  submit(@Param('token') token: string, @Body() dto: SubmitEvaluationDto): Promise<EvaluationReceivedDto> {
    return this.evaluations.submit(token, dto.answers);
  }

  @Post(':token/opt-out')
  @HttpCode(204)
  @ApiOperation({ summary: '"I don\'t want to answer": stops reminders for this evaluation' })
  @ApiParam(TOKEN)
  @ApiNoContentResponse({ description: 'No more reminders will be sent' })
  @ApiErrors(404, 409)
  optOut(@Param('token') token: string): Promise<void> {
    return this.evaluations.optOut(token);
  }
}
