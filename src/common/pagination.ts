/**
 * One page of a listing that grows without a domain cap (issue 14: every answer's array has a
 * maximum the server keeps). The answer keeps its shape (a JSON array); `limit` and `offset` pick
 * the page, in a stable order each listing defines (a unique key last). A page shorter than
 * `limit` is the last one.
 */
import { applyDecorators, type Type as ClassType } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_OFFSET, PAGE_SIZE } from './limits.js';

export class PageQuery {
  @ApiPropertyOptional({ default: PAGE_SIZE, minimum: 1, maximum: PAGE_SIZE, description: 'How many entries at most (a shorter page is the last)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET, description: 'How many entries to skip (the entries of the pages before)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(query: PageQuery | undefined): Page {
  return { limit: query?.limit ?? PAGE_SIZE, offset: query?.offset ?? 0 };
}

/** The page of a list already in memory (a listing filtered by a rule after its query). */
export function slicePage<T>(rows: T[], page: Page): T[] {
  return rows.slice(page.offset, page.offset + page.limit);
}

/** The 200 answer of a paged listing: an array of `model`, at most PAGE_SIZE long. */
export function ApiPageOf(model: ClassType<unknown>, description?: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description: description ?? `One page (at most ${PAGE_SIZE}, the default limit): a page shorter than limit is the last`,
      schema: { type: 'array', maxItems: PAGE_SIZE, items: { $ref: getSchemaPath(model) } },
    }),
  );
}
