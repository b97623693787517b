import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProvidersService } from '../../catalogue/providers.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { MembershipDirectory } from '../../common/personal-data.js';
import { FormErrors, FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import type { PutAssessmentDto } from '../dto/assessment.dto.js';
import { NeedsAssessmentsService } from '../needs-assessments.service.js';
import { CHANNELS, FOLLOW_UP_METHODS, PLAN_STATUSES, PRIORITIES, SUPPORT_NEEDS } from '../needs.codes.js';
import { NeedsRoundsService } from '../needs-rounds.service.js';
import { NeedsStatementsService } from '../needs-statements.service.js';
import { NEEDS_TEXTS } from './texts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const YES_NO = ['yes', 'no'] as const;
const KNOWLEDGE = ['1', '2', '3', '4', '5'] as const;
const TEMPLATE = 'needs/pages/round.njk';

function requireUuid(...ids: (string | undefined)[]): void {
  for (const id of ids) if (id !== undefined && !UUID.test(id)) throw AppError.notFound('page');
}

/**
 * Where an organisation admin states the organisation's needs in an open round (the round's email
 * links here: `/inventering/:roundId?organisation=:id`): the needs (statements) and the assessment
 * that answers the programme's questions. The needs module's services check that the caller is
 * the organisation's admin and that the organisation was invited.
 */
@WebController('inventering')
export class NeedsPages {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: NeedsRoundsService,
    private readonly statements: NeedsStatementsService,
    private readonly assessments: NeedsAssessmentsService,
    private readonly providers: ProvidersService,
    private readonly memberships: MembershipDirectory,
    private readonly reference: ReferenceListsService,
  ) {}

  private async adminOrganisations(page: PageContext) {
    return (await this.memberships.of(this.dataSource.manager, page.me.id)).filter((m) => m.kind === 'organisation' && m.role === 'org_admin');
  }

  @Get()
  async list(@Page() page: PageContext, @Query('organisation') organisation?: string): Promise<void> {
    const rounds = await this.rounds.list(page.me, { limit: 50, offset: 0 });
    page.render('needs/pages/rounds.njk', { rounds: rounds.items.filter((r) => r.acceptingStatements), organisation: organisation && UUID.test(organisation) ? organisation : '' });
  }

  @Get(':roundId')
  async show(@Page() page: PageContext, @Param('roundId') roundId: string, @Query('organisation') organisationId?: string): Promise<void> {
    requireUuid(roundId, organisationId);
    const round = await this.rounds.get(page.me, roundId);
    if (!organisationId) {
      const admin = await this.adminOrganisations(page);
      if (admin.length === 1) return page.redirect(`/inventering/${roundId}?organisation=${admin[0].id}`);
      return page.render('needs/pages/choose.njk', { round, organisations: admin });
    }
    await this.render(page, roundId, organisationId, {});
  }

  @Post(':roundId/behov')
  async addStatement(@Page() page: PageContext, @Param('roundId') roundId: string, @Query('organisation') organisationId: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(roundId, organisationId ?? '');
    const t = NEEDS_TEXTS[page.lang];
    const lists = await this.reference.lists();
    const form = new FormReader(body, page.t.common.errors);
    const themeCode = form.choice('themeCode', lists.themes.map((x) => x.code), { label: t.themeLabel, required: true });
    const people = form.integer('people', { label: t.peopleShort, required: true, min: 1, max: 100_000 });
    const women = form.integer('women', { label: t.womenShort, min: 0, max: 100_000 });
    const men = form.integer('men', { label: t.menShort, min: 0, max: 100_000 });
    const preferredFormats = form.list('preferredFormats', lists.formats.map((x) => x.code), { label: t.formatsLabel, required: true });
    const municipalityCode = form.choice('municipalityCode', ['', ...lists.municipalities.map((m) => m.code)], { label: t.municipalityLabel });
    const online = form.list('online', ['true'], { label: t.online }).length > 0;
    const priority = form.choice('priority', ['', ...PRIORITIES], { label: t.priorityLabel });
    const comment = form.text('comment', { label: t.commentLabel, max: 2000 });
    if (form.errors.has('preferredFormats')) form.errors.anchor('preferredFormats', 'preferredFormats');
    if (!form.errors.any) {
      try {
        await this.statements.create(page.me, roundId, {
          organisationId,
          themeCode: themeCode!,
          people: people!,
          ...(women !== undefined ? { women } : {}),
          ...(men !== undefined ? { men } : {}),
          preferredFormats,
          ...(municipalityCode ? { municipalityCode } : {}),
          online,
          ...(priority ? { priority } : {}),
          ...(comment ? { comment } : {}),
        });
        return page.redirect(`/inventering/${roundId}?organisation=${organisationId}&sparat=behov#behov`);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error;
        for (const detail of (error.details as { field: string }[] | undefined) ?? [{ field: 'themeCode' }]) form.errors.add(detail.field in form.values ? detail.field : 'themeCode', t.failed);
      }
    }
    await this.render(page, roundId, organisationId, { statementValues: form.values, statementErrors: form.errors }, 400);
  }

  @Post(':roundId/behov/:statementId/ta-bort')
  async removeStatement(@Page() page: PageContext, @Param('roundId') roundId: string, @Param('statementId') statementId: string, @Query('organisation') organisationId: string): Promise<void> {
    requireUuid(roundId, statementId, organisationId ?? '');
    await this.statements.remove(page.me, roundId, statementId);
    page.redirect(`/inventering/${roundId}?organisation=${organisationId}#behov`);
  }

  @Post(':roundId/bedomning')
  async saveAssessment(@Page() page: PageContext, @Param('roundId') roundId: string, @Query('organisation') organisationId: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireUuid(roundId, organisationId ?? '');
    const t = NEEDS_TEXTS[page.lang];
    const providers = await this.providers.list({ limit: 100, offset: 0 });
    const form = new FormReader(body, page.t.common.errors);
    const hasPlan = form.choice('hasPlan', PLAN_STATUSES, { label: t.hasPlanLabel, required: true });
    const hasTrained = form.choice('hasTrained', YES_NO, { label: t.hasTrainedLabel, required: true });
    const wantsTraining = form.choice('wantsTraining', YES_NO, { label: t.wantsTrainingLabel, required: true });
    const knowledge = form.choice('knowledge', KNOWLEDGE, { label: t.knowledgeLabel, required: true });
    const accWantsTraining = form.choice('accWantsTraining', YES_NO, { label: t.wantsTrainingLabel, required: true });
    const needs = form.list('supportNeeds', SUPPORT_NEEDS, { label: t.supportNeeds });
    const supportComment = form.text('supportComment', { label: t.commentLabel, max: 2000 });
    const providerIds = form.list('providerIds', providers.items.map((p) => p.id), { label: t.providers });
    const providersOther = form.text('providersOther', { label: t.commentLabel, max: 1000 });
    const methods = form.list('followUpMethods', FOLLOW_UP_METHODS, { label: t.followUpMethods });
    const followUpComment = form.text('followUpComment', { label: t.commentLabel, max: 2000 });
    const channels = form.list('channels', CHANNELS, { label: t.channels });
    const channelsOther = form.text('channelsOther', { label: t.commentLabel, max: 1000 });
    const projectsText = form.text('projects', { label: t.projectsLabel, max: 4000 });
    const cooperationComment = form.text('cooperationComment', { label: t.commentLabel, max: 2000 });
    const projects = projectsText.split(/\r?\n/).map((p) => p.trim()).filter(Boolean);
    if (projects.some((p) => p.length > 200)) form.errors.add('projects', t.failed);
    for (const [field, id] of [['hasPlan', 'hasPlan'], ['hasTrained', 'hasTrained'], ['wantsTraining', 'wantsTraining'], ['knowledge', 'knowledge'], ['accWantsTraining', 'accWantsTraining']]) {
      if (form.errors.has(field)) form.errors.anchor(field, id);
    }
    if (!form.errors.any) {
      const dto: PutAssessmentDto = {
        genderEquality: { hasPlan: hasPlan!, hasTrained: hasTrained === 'yes', wantsTraining: wantsTraining === 'yes' },
        accessibility: { knowledge: Number(knowledge), wantsTraining: accWantsTraining === 'yes' },
        socialEnterpriseSupport: { needs, ...(supportComment ? { comment: supportComment } : {}) },
        preferredProviders: { providerIds, ...(providersOther ? { other: providersOther } : {}) },
        followUp: { methods, ...(followUpComment ? { comment: followUpComment } : {}) },
        channels: { codes: channels, ...(channelsOther ? { other: channelsOther } : {}) },
        cooperation: { projects, ...(cooperationComment ? { comment: cooperationComment } : {}) },
      };
      await this.assessments.put(page.me, roundId, organisationId, dto);
      return page.redirect(`/inventering/${roundId}?organisation=${organisationId}&sparat=bedomning#bedomning`);
    }
    await this.render(page, roundId, organisationId, { assessmentValues: form.values, assessmentErrors: form.errors }, 400);
  }

  /** The round's page for one organisation; refused (403/404 page) unless the caller is its admin and it was invited. */
  private async render(page: PageContext, roundId: string, organisationId: string, state: Record<string, unknown>, status = 200): Promise<void> {
    const round = await this.rounds.get(page.me, roundId);
    const [statements, assessment, lists, providers, names] = await Promise.all([
      this.statements.list(page.me, roundId, { organisationId, limit: 100, offset: 0 }),
      this.assessments.get(page.me, roundId, organisationId).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404 && error.code !== 'ORGANISATION_NOT_FOUND') return null;
        throw error;
      }),
      this.reference.lists(),
      this.providers.list({ limit: 100, offset: 0 }),
      this.reference.names(page.lang),
    ]);
    const organisation = (await this.memberships.of(this.dataSource.manager, page.me.id)).find((m) => m.id === organisationId);
    const saved = (page.request.query as Record<string, unknown>).sparat;
    page.render(
      TEMPLATE,
      {
        round,
        organisationId,
        organisationName: organisation?.name ?? '',
        statements: statements.items.filter((s) => !s.personal),
        lists,
        providers: providers.items,
        names,
        codes: { planStatuses: PLAN_STATUSES, priorities: PRIORITIES, supportNeeds: SUPPORT_NEEDS, followUpMethods: FOLLOW_UP_METHODS, channels: CHANNELS },
        statementValues: state.statementValues ?? { preferredFormats: [], online: [] },
        statementErrors: state.statementErrors ?? new FormErrors(),
        assessmentValues: state.assessmentValues ?? assessmentValues(assessment),
        assessmentErrors: state.assessmentErrors ?? new FormErrors(),
        saved: saved === 'behov' || saved === 'bedomning' ? saved : '',
      },
      status,
    );
  }
}

/** A saved assessment as the form's values. */
function assessmentValues(a: Awaited<ReturnType<NeedsAssessmentsService['get']>> | null): Record<string, string | string[]> {
  if (!a) return { supportNeeds: [], providerIds: [], followUpMethods: [], channels: [] };
  const yn = (v: boolean | undefined) => (v === undefined ? '' : v ? 'yes' : 'no');
  return {
    hasPlan: a.genderEquality?.hasPlan ?? '',
    hasTrained: yn(a.genderEquality?.hasTrained),
    wantsTraining: yn(a.genderEquality?.wantsTraining),
    knowledge: a.accessibility ? String(a.accessibility.knowledge) : '',
    accWantsTraining: yn(a.accessibility?.wantsTraining),
    supportNeeds: a.socialEnterpriseSupport.needs,
    supportComment: a.socialEnterpriseSupport.comment ?? '',
    providerIds: a.preferredProviders.providerIds,
    providersOther: a.preferredProviders.other ?? '',
    followUpMethods: a.followUp.methods,
    followUpComment: a.followUp.comment ?? '',
    channels: a.channels.codes,
    channelsOther: a.channels.other ?? '',
    projects: a.cooperation.projects.join('\n'),
    cooperationComment: a.cooperation.comment ?? '',
  };
}
