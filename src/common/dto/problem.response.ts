import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ example: 'summary.narrative', description: 'The field, as a path in the request body' }) field: string;
  @ApiProperty({ example: "contains the person's name" }) message: string;
}

/** An RFC 9457 problem detail (src/common/problem-details.filter.ts): never a protected value. */
export class ProposalDto {
  @ApiProperty() field: string;
  @ApiProperty() text: string;
}

export class ProblemDto {
  @ApiProperty({ example: 'https://cellule.invalid/problems/identifying_text' }) type: string;
  @ApiProperty() title: string;
  @ApiProperty() status: number;
  @ApiProperty() detail: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'The fields refused, each with what is wrong (never the value)' })
  errors?: FieldProblemDto[];
  @ApiPropertyOptional({ description: 'A finer reason code, e.g. csrf, session_idle' }) reason?: string;
  @ApiPropertyOptional({ description: 'The kind of identifier a text contained (name, birth_date, phone, email, address, nir)' }) kind?: string;
  @ApiPropertyOptional({
    type: ProposalDto,
    description:
      "A refused text reworded: the writer's own words with what the guard found (generic identifiers, identity fields this writer may see) replaced",
  })
  proposal?: ProposalDto;
  @ApiPropertyOptional({
    type: [ProposalDto],
    description: 'Every refused text reworded, one per field refused (proposal repeats the first): the writer fixes them all at once',
  })
  proposals?: ProposalDto[];
}
