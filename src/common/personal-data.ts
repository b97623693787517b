import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Each module that holds personal data registers how to export it and how to erase it, so that
 * `GET /me/export` and `DELETE /me` cover every module without knowing their tables.
 */
export interface PersonalDataContributor {
  /** Key in the export document, e.g. "memberships". */
  key: string;
  export(manager: EntityManager, userId: string, email: string): Promise<unknown>;
  /**
   * Removes or anonymises the person's data; runs inside the erasure transaction. Data that a legal
   * obligation requires to be kept (GDPR art. 17(3)(b), e.g. ESF evidence) stays, and is answered
   * here so that the person is told what was kept, why and until when.
   */
  erase(manager: EntityManager, userId: string, email: string): Promise<void | RetainedData[]>;
}

/** What erasure kept, and why. */
export interface RetainedData {
  /** e.g. `esf_participation`. */
  kind: string;
  /** What is kept, in plain words. */
  description: string;
  /** The last day it is kept (YYYY-MM-DD), or null while that day is not known yet. */
  until: string | null;
  /** e.g. "GDPR art. 17(3)(b): …". */
  legalBasis: string;
}

@Injectable()
export class PersonalDataRegistry {
  private readonly contributors: PersonalDataContributor[] = [];

  register(contributor: PersonalDataContributor): void {
    if (!this.contributors.some((c) => c.key === contributor.key)) this.contributors.push(contributor);
  }

  all(): readonly PersonalDataContributor[] {
    return this.contributors;
  }
}

export interface MembershipSummary {
  kind: 'organisation' | 'provider';
  id: string;
  name: string;
  role: string;
  jobTitle: string | null;
}

/** Modules that give people roles (organisations, providers) list a person's memberships for /me. */
@Injectable()
export class MembershipDirectory {
  private readonly sources: Array<(manager: EntityManager, userId: string) => Promise<MembershipSummary[]>> = [];

  register(source: (manager: EntityManager, userId: string) => Promise<MembershipSummary[]>): void {
    this.sources.push(source);
  }

  /** One source after another: `manager` may be a transaction's, whose connection runs one statement at a time. */
  async of(manager: EntityManager, userId: string): Promise<MembershipSummary[]> {
    const found: MembershipSummary[] = [];
    for (const source of this.sources) found.push(...(await source(manager, userId)));
    return found;
  }
}
