import { fill } from './views.js';

/** Field → message; what the error summary and each field's message show (GOV.UK's pattern). */
export class FormErrors {
  private readonly messages = new Map<string, string>();

  add(field: string, message: string): this {
    if (!this.messages.has(field)) this.messages.set(field, message);
    return this;
  }

  has(field: string): boolean {
    return this.messages.has(field);
  }

  get any(): boolean {
    return this.messages.size > 0;
  }

  /** For govukErrorSummary's errorList: each message links to its field (`#<field>`, or the id given with `href`). */
  summary(): { text: string; href: string }[] {
    return [...this.messages].map(([field, text]) => ({ text, href: `#${this.anchors.get(field) ?? field}` }));
  }

  /** For a component's errorMessage: `errors.of('email')` (false when the field has none, as the macros expect). */
  of(field: string): { text: string } | false {
    const text = this.messages.get(field);
    return text === undefined ? false : { text };
  }

  /** Where the summary's link for a field leads, when not to `#<field>` (a radio group's first input). */
  anchor(field: string, id: string): this {
    this.anchors.set(field, id);
    return this;
  }

  private readonly anchors = new Map<string, string>();
}

interface ErrorTexts {
  required: string;
  tooLong: string;
  tooShort: string;
  email: string;
  choose: string;
  date: string;
  number: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads a posted form (application/x-www-form-urlencoded) field by field, with messages in the
 * page's language; `values` keeps what was typed to show it again, `errors` what to correct.
 *
 *     const form = new FormReader(body, page.t.common.errors);
 *     const email = form.text('email', { label: 'e-postadress', required: true, max: 254, email: true });
 *     if (form.errors.any) return page.render('…', { values: form.values, errors: form.errors }, 400);
 */
export class FormReader {
  readonly errors = new FormErrors();
  readonly values: Record<string, string | string[]> = {};

  constructor(
    private readonly body: unknown,
    private readonly texts: ErrorTexts,
  ) {}

  private raw(field: string): unknown {
    return this.body && typeof this.body === 'object' ? (this.body as Record<string, unknown>)[field] : undefined;
  }

  /** A text field, trimmed ('' when empty and not required). */
  text(field: string, rule: { label: string; required?: boolean; max: number; min?: number; email?: boolean; keepSpaces?: boolean }): string {
    const raw = this.raw(field);
    const value = typeof raw === 'string' ? (rule.keepSpaces ? raw : raw.trim()) : '';
    this.values[field] = value;
    const label = rule.label;
    if (!value) {
      if (rule.required) this.errors.add(field, rule.email ? this.texts.email : fill(this.texts.required, { label }));
      return '';
    }
    if (value.length > rule.max) this.errors.add(field, fill(this.texts.tooLong, { label: capital(label), max: rule.max }));
    else if (rule.min !== undefined && value.length < rule.min) this.errors.add(field, fill(this.texts.tooShort, { label: capital(label), min: rule.min }));
    else if (rule.email && !EMAIL.test(value)) this.errors.add(field, this.texts.email);
    return value;
  }

  /** One of the given values (radios, select). */
  choice<T extends string>(field: string, allowed: readonly T[], rule: { label: string; required?: boolean }): T | undefined {
    const raw = this.raw(field);
    const value = typeof raw === 'string' ? raw : '';
    this.values[field] = value;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    if (value || rule.required) this.errors.add(field, fill(this.texts.choose, { label: rule.label }));
    return undefined;
  }

  /** Any of the given values (checkboxes); unknown values are an error. */
  list<T extends string>(field: string, allowed: readonly T[], rule: { label: string; required?: boolean }): T[] {
    const raw = this.raw(field);
    const values = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    this.values[field] = values;
    if (values.some((v) => !(allowed as readonly string[]).includes(v)) || (rule.required && values.length === 0)) {
      this.errors.add(field, fill(this.texts.choose, { label: rule.label }));
      return [];
    }
    return [...new Set(values)] as T[];
  }

  /** A whole number in a range ('' → undefined unless required). */
  integer(field: string, rule: { label: string; required?: boolean; min: number; max: number }): number | undefined {
    const raw = this.raw(field);
    const value = typeof raw === 'string' ? raw.trim() : '';
    this.values[field] = value;
    if (!value) {
      if (rule.required) this.errors.add(field, fill(this.texts.required, { label: rule.label }));
      return undefined;
    }
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < rule.min || n > rule.max) {
      this.errors.add(field, fill(this.texts.number, { label: capital(rule.label), min: rule.min, max: rule.max }));
      return undefined;
    }
    return n;
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
