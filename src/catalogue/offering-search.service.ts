import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { Page } from '../common/pagination.js';
import { queryPrepared } from '../database/prepared-query.js';
import { CatalogueReference, invalidFields } from './catalogue-reference.js';
import { toOfferingDto, toSessionDto, type OfferingRow, type SessionRow } from './catalogue-views.js';
import type { SearchHitDto, SearchOfferingsQueryDto, SearchSort } from './dto/search.dto.js';
import { buildSearchSql, type SearchParams } from './offering-search.sql.js';

type HitRow = OfferingRow & { total: number; rank: number | null; distance: number | null; sessions: SessionRow[] };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Public search over published offerings (one SQL statement; see offering-search.sql.ts). */
@Injectable()
export class OfferingSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reference: CatalogueReference,
    private readonly clock: Clock,
  ) {}

  async search(query: SearchOfferingsQueryDto): Promise<Page<SearchHitDto>> {
    const params = await this.params(query);
    const { sql, values } = buildSearchSql(params);
    let rows = await queryPrepared<HitRow>(this.dataSource, sql, values);
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && params.offset > 0) {
      // past the last page: the window count came back empty, so count on the first page
      const first = buildSearchSql({ ...params, offset: 0, limit: 1 });
      total = (await queryPrepared<HitRow>(this.dataSource, first.sql, first.values))[0]?.total ?? 0;
      rows = [];
    }
    return {
      items: rows.map((row) => ({
        ...toOfferingDto(row, row.sessions.map((s) => toSessionDto(s, false))),
        rank: row.rank === null ? null : Math.round(row.rank * 1e4) / 1e4,
        distance: row.distance,
      })),
      total,
    };
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
