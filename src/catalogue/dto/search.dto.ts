import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.js';
import { TARGET_GROUPS, type TargetGroup } from '../offering.entity.js';
import { OfferingDto } from './offering.dto.js';

/** `a,b` or repeated `x=a&x=b` → ['a','b']. */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const SEARCH_SORTS = ['relevance', 'startDate', 'distance'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
const CODE = /^[a-z][a-z0-9_]{0,59}$/;

export class SearchOfferingsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'utbildningar i upphandling', description: 'Free text in Swedish (stemmed: "utbildningar" finds "utbildning"); web-search syntax: "quoted phrase", -exclude, or' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ type: [String], example: ['public_procurement'], description: 'Theme codes, comma-separated: offerings with any of them' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CODE, { each: true, message: 'must be theme codes such as public_procurement' })
  theme?: string[];

  @ApiPropertyOptional({ type: [String], example: ['study_circle', 'short_course'], description: 'Format codes, comma-separated: any of them' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(CODE, { each: true, message: 'must be format codes such as short_course' })
  format?: string[];

  @ApiPropertyOptional({ type: [String], example: ['step_free_access', 'induction_loop'], description: 'Accessibility features, comma-separated: offerings that provide ALL of them' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CODE, { each: true, message: 'must be accessibility feature codes such as induction_loop' })
  accessibility?: string[];

  @ApiPropertyOptional({ enum: TARGET_GROUPS, isArray: true, example: ['public_sector'], description: 'Offerings for any of these target groups' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsIn(TARGET_GROUPS, { each: true })
  targetGroup?: TargetGroup[];

  @ApiPropertyOptional({ type: [String], example: ['0380', '0381'], description: 'Sessions in these municipalities (SCB codes)' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(48)
  @Matches(/^\d{4}$/, { each: true, message: 'must be 4-digit SCB municipality codes' })
  municipality?: string[];

  @ApiPropertyOptional({ type: [String], example: ['03'], description: 'Sessions in these counties (län: 03, 04, 05, 18, 19)' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^\d{2}$/, { each: true, message: 'must be 2-digit county codes' })
  county?: string[];

  @ApiPropertyOptional({ example: '2027-02-01', description: 'Sessions starting at or after (date or date-time)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'Sessions starting no later than (a date includes the whole day, UTC)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date or date-time' })
  to?: string;

  @ApiPropertyOptional({ example: true, description: 'true: online sessions (incl. hybrid); false: sessions in a place' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  online?: boolean;

  @ApiPropertyOptional({ example: true, description: 'Only sessions with seats left' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  freeSeats?: boolean;

  @ApiPropertyOptional({ example: '0331', description: 'Your municipality, for sort=distance' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'must be a 4-digit SCB municipality code' })
  near?: string;

  @ApiPropertyOptional({
    enum: SEARCH_SORTS,
    description:
      'relevance (text rank; needs q), startDate (earliest matching session), or distance (needs near): a session in the same ' +
      'municipality first, then the same county, then online-only sessions (reachable from anywhere), then elsewhere; an offering ' +
      'ranks by its nearest matching session, ties by start date. Default: relevance with q, else distance with near, else startDate.',
  })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;
}

export class SearchHitDto extends OfferingDto {
  @ApiProperty({ nullable: true, type: Number, example: 0.61, description: 'Text rank (with q)' })
  rank: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 1, description: 'With near: 0 same municipality, 1 same county, 2 online only, 3 elsewhere' })
  distance: number | null;
}

export class SearchPageDto {
  @ApiProperty({ type: SearchHitDto, isArray: true, description: 'Each with its upcoming sessions that match the filters (up to 20), with seatsLeft' })
  items: SearchHitDto[];

  @ApiProperty({ example: 42, description: 'All matching offerings' })
  total: number;
}
