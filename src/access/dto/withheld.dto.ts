import { ApiPropertyOptional } from '@nestjs/swagger';
import { WITHHELD_REASONS, type WithheldReason } from '../access.js';

const reason = (cls: string) =>
  ApiPropertyOptional({
    enum: WITHHELD_REASONS,
    enumName: 'WithheldReason',
    description: `Why ${cls} is not in the answer (README, "Security model": the codes)`,
  });

/**
 * `withheld` of a case view (GET /cases/:id, the session dossier): for each class not in the
 * answer, a reason code — never a value. Published in the OpenAPI document as a schema of its own.
 */
export class WithheldDto {
  @reason('meta') meta?: WithheldReason;
  @reason('summary') summary?: WithheldReason;
  @reason('plan') plan?: WithheldReason;
  @reason('consent') consent?: WithheldReason;
  @reason('identity') identity?: WithheldReason;
  @reason('health') health?: WithheldReason;
  @reason('social') social?: WithheldReason;
}
