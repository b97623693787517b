import { Injectable } from '@nestjs/common';
import { AppError, CommonErrorCode, FieldError } from '../common/errors/app-error.js';
import { ReferenceService, type ReferenceKind } from '../reference/reference.service.js';

export interface CodeCheck {
  field: string;
  kind: ReferenceKind;
  codes: (string | null | undefined)[] | undefined;
}

/**
 * Checks codes against reference data (themes, formats, municipalities, accessibility features)
 * and fails with one 400 that names every field and its unknown codes.
 */
@Injectable()
export class CatalogueReference {
  constructor(private readonly reference: ReferenceService) {}

  async assertKnown(checks: CodeCheck[]): Promise<void> {
    const details: FieldError[] = [];
    for (const check of checks) {
      const codes = (check.codes ?? []).filter((c): c is string => typeof c === 'string');
      if (codes.length === 0) continue;
      const unknown = await this.reference.unknownCodes(check.kind, codes);
      if (unknown.length) details.push({ field: check.field, messages: [`unknown codes: ${unknown.join(', ')}`] });
    }
    if (details.length) throw invalidFields(details);
  }
}

/** One 400 naming each field, in the API's validation shape. */
export function invalidFields(details: FieldError[]): AppError {
  return new AppError(
    400,
    CommonErrorCode.VALIDATION_FAILED,
    `Invalid input: ${details.map((d) => `${d.field} ${d.messages.join(', ')}`).join('; ')}`,
    details,
  );
}
