import type { Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PaginationQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  // PostgreSQL's OFFSET is a bigint: a larger number would be a database error, not an empty page.
  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000_000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * The OpenAPI shape of `Page<T>` for an item DTO: a class `<Item>PageDto` with `items` and `total`.
 * Lists answer this shape (the reference lists of codes stay plain arrays, as documented).
 */
export function PageOf<T>(item: Class<T>): Class<Page<T>> {
  class PageDto implements Page<T> {
    @ApiProperty({ type: item, isArray: true })
    items: T[];

    @ApiProperty({ example: 1, description: 'All items there are, on every page' })
    total: number;
  }
  Object.defineProperty(PageDto, 'name', { value: `${item.name.replace(/Dto$/, '')}PageDto` });
  return PageDto;
}
