import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { AppError } from '../common/errors/app-error.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import { ProgrammeErrorCode } from './programmes.errors.js';

/**
 * Whose interventions a caller may read: coordinators all; provider staff those their provider
 * delivers (as the intervention's provider or through a linked offering); org admins those in the
 * counties of the organisations they administer. Employees and others are refused.
 */
export type Viewer = { all: true } | { all: false; providerIds: string[]; counties: string[] };

@Injectable()
export class ProgrammeAccess {
  constructor(
    private readonly providers: ProviderAccess,
    private readonly organisations: OrganisationAccess,
  ) {}

  async viewer(user: AuthUser): Promise<Viewer> {
    if (user.globalRole === 'coordinator') return { all: true };
    const [providerIds, counties] = await Promise.all([this.providers.providerIdsOf(user.id), this.organisations.adminCountyCodes(user.id)]);
    if (providerIds.length === 0 && counties.length === 0) {
      throw AppError.forbidden('Programmes are for coordinators, organisation admins and provider staff', ProgrammeErrorCode.ACCESS_DENIED);
    }
    return { all: false, providerIds, counties };
  }
}
