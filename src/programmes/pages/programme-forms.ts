import { TARGET_GROUPS } from '../../catalogue/offering.entity.js';
import { AppError } from '../../common/errors/app-error.js';
import type { FormErrors, FormReader } from '../../web/forms.js';
import type { ReferenceLists } from '../../web/reference-lists.js';
import { fill } from '../../web/views.js';
import type { CreateInterventionDto, InterventionDto } from '../dto/intervention.dto.js';
import type { CreateProgrammeDto, ProgrammeDto } from '../dto/programme.dto.js';
import { FUNDING_SOURCES } from '../programme.entity.js';
import { PROGRAMME_TEXTS } from './texts.js';

type Texts = (typeof PROGRAMME_TEXTS)['sv'];
type CommonErrors = { date: string };

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A date as YYYY-MM-DD that exists in the calendar ('' when empty and not required). */
export function readDate(form: FormReader, field: string, rule: { label: string; required?: boolean }, errors: CommonErrors): string {
  const value = form.text(field, { label: rule.label, required: rule.required, max: 10 });
  if (!value) return '';
  const valid = DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!valid) {
    form.errors.add(field, fill(errors.date, { label: capital(rule.label) }));
    return '';
  }
  return value;
}

/** A decimal number with at most `decimals` decimals (comma or point), in a range. */
export function readDecimal(form: FormReader, field: string, rule: { label: string; required?: boolean; min: number; max: number; decimals: number }, t: Texts, required: string): number | undefined {
  const raw = form.text(field, { label: rule.label, max: 20 });
  if (!raw) {
    if (rule.required) form.errors.add(field, fill(required, { label: rule.label }));
    return undefined;
  }
  const text = raw.replace(',', '.').replace(/\s/g, '');
  const n = Number(text);
  const pattern = new RegExp(`^\\d+(\\.\\d{1,${rule.decimals}})?$`);
  if (!pattern.test(text) || n < rule.min || n > rule.max) {
    form.errors.add(field, fill(t.decimalError, { label: capital(rule.label), min: rule.min, max: rule.max, decimals: rule.decimals }));
    return undefined;
  }
  return n;
}

/** Reads the programme form (create and change); undefined with `form.errors` set when something is to be corrected. */
export function readProgramme(form: FormReader, t: Texts, common: { date: string; required: string }): CreateProgrammeDto | undefined {
  const title = form.text('title', { label: t.titleField, required: true, min: 3, max: 200 });
  const startsOn = readDate(form, 'startsOn', { label: t.startsOnField, required: true }, common);
  const endsOn = readDate(form, 'endsOn', { label: t.endsOnField, required: true }, common);
  if (startsOn && endsOn && endsOn < startsOn) form.errors.add('endsOn', t.endBeforeStart);
  const fundingSource = form.choice('fundingSource', FUNDING_SOURCES, { label: t.fundingSourceField, required: true });
  form.errors.anchor('fundingSource', 'fundingSource');
  const budgetSek = form.integer('budgetSek', { label: t.budgetField, required: true, min: 0, max: 1e12 });
  const unitCostPerHourSek = readDecimal(form, 'unitCostPerHourSek', { label: t.unitCostField, min: 0, max: 100_000, decimals: 2 }, t, common.required);
  const flags = form.list('flags', ['esfReporting', 'timeCosign'] as const, { label: t.esfReportingLabel });
  form.errors.anchor('flags', 'flags');
  const finalPaymentYear = form.integer('finalPaymentYear', { label: t.finalPaymentYearField, min: 2000, max: 2100 });
  if (form.errors.any) return undefined;
  return {
    title,
    startsOn,
    endsOn,
    fundingSource: fundingSource!,
    budgetSek: budgetSek!,
    ...(unitCostPerHourSek !== undefined ? { unitCostPerHourSek } : {}),
    esfReporting: flags.includes('esfReporting'),
    timeCosign: flags.includes('timeCosign'),
    ...(finalPaymentYear !== undefined ? { finalPaymentYear } : {}),
  };
}

/** The form's values for an existing programme. */
export function programmeValues(p: ProgrammeDto): Record<string, string | string[]> {
  return {
    title: p.title,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    fundingSource: p.fundingSource,
    budgetSek: String(p.budgetSek),
    unitCostPerHourSek: p.unitCostPerHourSek === null ? '' : String(p.unitCostPerHourSek),
    flags: [...(p.esfReporting ? ['esfReporting'] : []), ...(p.timeCosign ? ['timeCosign'] : [])],
    finalPaymentYear: p.finalPaymentYear === null ? '' : String(p.finalPaymentYear),
  };
}

/** Reads the intervention form against the reference lists and the providers; undefined when something is to be corrected. */
export function readIntervention(
  form: FormReader,
  t: Texts,
  common: { date: string; required: string },
  lists: ReferenceLists,
  providerIds: string[],
): CreateInterventionDto | undefined {
  const title = form.text('title', { label: t.interventionTitleField, min: 3, max: 200 });
  const themeCode = form.choice('themeCode', lists.themes.map((x) => x.code), { label: t.themeField, required: true });
  const targetGroups = form.list('targetGroups', TARGET_GROUPS, { label: t.targetGroupsField, required: true });
  form.errors.anchor('targetGroups', 'targetGroups');
  const format = form.choice('format', lists.formats.map((x) => x.code), { label: t.formatField, required: true });
  const counties = form.list('counties', lists.counties.map((c) => c.code), { label: t.countiesField, required: true });
  form.errors.anchor('counties', 'counties');
  const plannedParticipants = form.integer('plannedParticipants', { label: t.plannedParticipantsField, required: true, min: 0, max: 1_000_000 });
  const plannedWomen = form.integer('plannedWomen', { label: t.plannedWomenField, min: 0, max: 1_000_000 });
  const plannedMen = form.integer('plannedMen', { label: t.plannedMenField, min: 0, max: 1_000_000 });
  if (plannedParticipants !== undefined && (plannedWomen ?? 0) + (plannedMen ?? 0) > plannedParticipants) form.errors.add('plannedWomen', t.genderOverPlanned);
  const hoursPerParticipant = readDecimal(form, 'hoursPerParticipant', { label: t.hoursField, required: true, min: 0.1, max: 10_000, decimals: 1 }, t, common.required);
  const provider = form.choice('providerId', ['procure', ...providerIds], { label: t.providerField, required: true });
  const costSek = form.integer('costSek', { label: t.costField, required: true, min: 0, max: 1e12 });
  const startsOn = readDate(form, 'startsOn', { label: t.startsOnField, required: true }, common);
  const endsOn = readDate(form, 'endsOn', { label: t.endsOnField, required: true }, common);
  if (startsOn && endsOn && endsOn < startsOn) form.errors.add('endsOn', t.endBeforeStart);
  if (form.errors.any) return undefined;
  return {
    ...(title ? { title } : {}),
    themeCode: themeCode!,
    targetGroups,
    format: format!,
    counties,
    plannedParticipants: plannedParticipants!,
    plannedWomen: plannedWomen ?? null,
    plannedMen: plannedMen ?? null,
    hoursPerParticipant: hoursPerParticipant!,
    providerId: provider === 'procure' ? null : provider!,
    costSek: costSek!,
    startsOn,
    endsOn,
  };
}

/** The form's values for an existing intervention. */
export function interventionValues(i: InterventionDto): Record<string, string | string[]> {
  return {
    title: i.title,
    themeCode: i.themeCode,
    targetGroups: i.targetGroups,
    format: i.format,
    counties: i.counties,
    plannedParticipants: String(i.plannedParticipants),
    plannedWomen: i.plannedWomen === null ? '' : String(i.plannedWomen),
    plannedMen: i.plannedMen === null ? '' : String(i.plannedMen),
    hoursPerParticipant: String(i.hoursPerParticipant),
    providerId: i.providerId ?? 'procure',
    costSek: String(i.costSek),
    startsOn: i.startsOn,
    endsOn: i.endsOn,
  };
}

/** A service's 400 naming fields (the page checked first, so only what it cannot know): shown at those fields. */
export function fieldErrorsOf(error: unknown, errors: FormErrors, t: Texts, labels: Record<string, string>): boolean {
  if (!(error instanceof AppError) || error.status !== 400 || !Array.isArray(error.details)) return false;
  for (const d of error.details) errors.add(d.field, fill(t.serviceInvalid, { label: labels[d.field] ?? d.field }));
  return errors.any;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
