import { Body, Get, Post, Query } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext, WebController } from '../../web/page.js';
import { fill } from '../../web/views.js';
import { ReferenceListsService } from '../../web/reference-lists.js';
import { DISABILITY_ANSWERS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, GENDERS } from '../person-profile.entity.js';
import { PeopleService } from '../people.service.js';
import { MY_DATA_TEXTS } from './my-data.texts.js';

const CODES = { genders: GENDERS, educations: EDUCATION_LEVELS, employments: [...EMPLOYMENT_TYPES, ''], disabilities: DISABILITY_ANSWERS };

/**
 * My data: the profile's statistics questions (each with "vill ej uppge"), download my data,
 * erase my account (what it means, then confirmed twice; the session ends with the account).
 */
@WebController('mina-uppgifter')
export class MyDataPages {
  constructor(
    private readonly people: PeopleService,
    private readonly reference: ReferenceListsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async show(@Page() page: PageContext, @Query('sparat') saved?: string): Promise<void> {
    const me = await this.people.me(page.me);
    const p = me.profile;
    page.render('organisations/pages/my-data.njk', {
      me,
      codes: CODES,
      lists: await this.reference.lists(),
      saved: saved === '1',
      values: {
        gender: p.gender ?? '',
        birthYear: p.birthYear === null ? '' : String(p.birthYear),
        educationLevel: p.educationLevel ?? '',
        employmentType: p.employmentType ?? '',
        disability: p.disability ?? '',
        accessibilityNeeds: p.accessibilityNeeds,
      },
    });
  }

  @Post()
  async save(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = MY_DATA_TEXTS[page.lang];
    const lists = await this.reference.lists();
    const form = new FormReader(body, page.t.common.errors);
    const gender = form.choice('gender', ['', ...GENDERS], { label: t.choose });
    const birthYear = form.integer('birthYear', { label: t.birthYearLabel, min: 1920, max: this.clock.now().getUTCFullYear() - 14 });
    const educationLevel = form.choice('educationLevel', ['', ...EDUCATION_LEVELS], { label: t.choose });
    const employmentType = form.choice('employmentType', ['', ...EMPLOYMENT_TYPES], { label: t.choose });
    const disability = form.choice('disability', ['', ...DISABILITY_ANSWERS], { label: t.choose });
    const accessibilityNeeds = form.list('accessibilityNeeds', lists.accessibility.map((a) => a.code), { label: t.choose });
    if (form.errors.any) {
      const me = await this.people.me(page.me);
      return page.render('organisations/pages/my-data.njk', { me, codes: CODES, lists, values: form.values, errors: form.errors }, 400);
    }
    await this.people.updateProfile(page.me, {
      gender: gender || null,
      birthYear: birthYear ?? null,
      educationLevel: educationLevel || null,
      employmentType: employmentType || null,
      disability: disability || null,
      accessibilityNeeds,
    });
    page.redirect('/mina-uppgifter?sparat=1');
  }

  @Get('export.json')
  async download(@Page() page: PageContext): Promise<void> {
    const document = await this.people.export(page.me);
    page.reply
      .status(200)
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="mina-uppgifter.json"')
      .header('Cache-Control', 'no-store')
      .send(JSON.stringify(document, null, 2));
  }

  @Get('radera')
  eraseInfo(@Page() page: PageContext): void {
    page.render('organisations/pages/erase.njk', { step: 1 });
  }

  /** First confirmation: "I understand" ticked → the final question; the second POST (confirm=yes) erases. */
  @Post('radera')
  async erase(@Page() page: PageContext, @Body() body: Record<string, unknown>): Promise<void> {
    const t = MY_DATA_TEXTS[page.lang];
    if (body?.confirm === 'yes' && body?.understand === 'yes') {
      const { retained } = await this.people.erase(page.me);
      await page.signOut();
      // What a law keeps (ESF evidence during its hold) is said, with the last day it is kept.
      const until = retained.some((r) => r.until === null) ? t.erasedRetainedUnknown : retained.map((r) => r.until!).sort().pop();
      return page.render('web/templates/message.njk', { title: t.erasedTitle, text: t.erased, hint: until ? fill(t.erasedRetained, { until }) : undefined });
    }
    const form = new FormReader(body, page.t.common.errors);
    form.list('understand', ['yes'], { label: t.eraseUnderstandLabel, required: true });
    if (form.errors.any) return page.render('organisations/pages/erase.njk', { step: 1, errors: form.errors.anchor('understand', 'understand') }, 400);
    page.render('organisations/pages/erase.njk', { step: 2 });
  }
}
