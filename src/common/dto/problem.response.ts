import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_LIMITS } from '../problem-details.filter.js';

export class FieldProblemDto {
  @ApiProperty({ maxLength: PROBLEM_LIMITS.field, example: 'summary.narrative', description: 'The field, as a path in the request body' }) field: string;
  @ApiProperty({ maxLength: PROBLEM_LIMITS.message, example: "contains the person's name" }) message: string;
}

/** An RFC 9457 problem detail (src/common/problem-details.filter.ts): never a protected value. */
export class ProposalDto {
  @ApiProperty({ maxLength: PROBLEM_LIMITS.field }) field: string;
  @ApiProperty({ maxLength: PROBLEM_LIMITS.text }) text: string;
}

export class ProblemDto {
  @ApiProperty({ maxLength: PROBLEM_LIMITS.type, example: 'https://cellule.invalid/problems/identifying_text' }) type: string;
  @ApiProperty({ maxLength: PROBLEM_LIMITS.title }) title: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 400, maximum: 599 }) status: number;
  @ApiProperty({ maxLength: PROBLEM_LIMITS.detail }) detail: string;
  @ApiPropertyOptional({ maxLength: PROBLEM_LIMITS.instance }) instance?: string;
  @ApiPropertyOptional({
    maxItems: PROBLEM_LIMITS.errors,
    type: [FieldProblemDto],
    description: 'The fields refused, each with what is wrong (never the value)',
  })
  errors?: FieldProblemDto[];
  @ApiPropertyOptional({ maxLength: PROBLEM_LIMITS.code, description: 'A finer reason code, e.g. csrf, session_idle' }) reason?: string;
  @ApiPropertyOptional({
    maxLength: PROBLEM_LIMITS.code,
    description: 'The kind of identifier a text contained (name, birth_date, phone, email, address, nir)',
  })
  kind?: string;
  @ApiPropertyOptional({
    type: ProposalDto,
    description:
      "A refused text reworded: the writer's own words with what the guard found (generic identifiers, identity fields this writer may see) replaced",
  })
  proposal?: ProposalDto;
  @ApiPropertyOptional({
    type: [ProposalDto],
    maxItems: PROBLEM_LIMITS.errors,
    description: 'Every refused text reworded, one per field refused (proposal repeats the first): the writer fixes them all at once',
  })
  proposals?: ProposalDto[];
}
