import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { queryPrepared } from '../database/prepared-query.js';
import { HeavyReads } from '../database/read-gate.js';
import { CatalogueReference, invalidFields } from './catalogue-reference.js';
import type { SearchOfferingsQueryDto, SearchSort } from './dto/search.dto.js';
import { buildSearchSql, type SearchParams } from './offering-search.sql.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Public search over published offerings (one SQL statement; see offering-search.sql.ts). */
@Injectable()
export class OfferingSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reference: CatalogueReference,
    private readonly clock: Clock,
    private readonly heavyReads: HeavyReads,
  ) {}

  /**
   * One page as the response body: `{ items: SearchHitDto[], total }` as JSON text, built by the
   * database (see offering-search.sql.ts) and sent on as it is.
   */
  async searchJson(query: SearchOfferingsQueryDto): Promise<string> {
    const { sql, values } = buildSearchSql(await this.params(query));
    const [row] = await this.heavyReads.run(() => queryPrepared<{ body: string }>(this.dataSource, sql, values));
    return row.body;
  }

  private async params(query: SearchOfferingsQueryDto): Promise<SearchParams> {
    const problems = [];
    if (query.sort === 'relevance' && !query.q) problems.push({ field: 'sort', messages: ['relevance needs q'] });
    if (query.sort === 'distance' && !query.near) problems.push({ field: 'sort', messages: ['distance needs near'] });
    const from = query.from ? new Date(query.from) : undefined;
    // a date-only "to" includes that whole day
    const to = query.to ? new Date(new Date(query.to).getTime() + (DATE_ONLY.test(query.to) ? 86_400_000 : 1)) : undefined;
    if (from && to && to <= from) problems.push({ field: 'to', messages: ['must be after from'] });
    if (problems.length) throw invalidFields(problems);
    if (query.near) await this.reference.assertKnown([{ field: 'near', kind: 'municipality', codes: [query.near] }]);
    const sort: SearchSort = query.sort ?? (query.q ? 'relevance' : query.near ? 'distance' : 'startDate');
    return {
      q: query.q,
      theme: query.theme,
      format: query.format,
      accessibility: query.accessibility,
      targetGroup: query.targetGroup,
      municipality: query.municipality,
      county: query.county,
      from,
      to,
      online: query.online,
      freeSeats: query.freeSeats,
      near: query.near,
      sort,
      limit: query.limit,
      offset: query.offset,
      now: this.clock.now(),
    };
  }
}
