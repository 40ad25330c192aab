import { Controller, Get, Header, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MAX_REGISTER_CHARS } from '../common/limits.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Access } from './access.decorator.js';
import { AccessService } from './access.service.js';
import { RegisterDto } from './dto/register.response.js';
import { buildRegister, registerMarkdown, type Register } from './register.js';

export class RegisterQuery {
  @ApiPropertyOptional({ enum: ['json', 'markdown'], default: 'json' }) @IsOptional() @IsIn(['json', 'markdown']) format?: 'json' | 'markdown';
}

/** The register of processing and the data-flow table, from the policy this server runs with (for DPOs: the auditor role). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('register')
export class RegisterController {
  constructor(
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Access('register.read')
  @ApiOperation({ summary: 'Register of processing (GDPR art. 30) and data flows, generated from policies/' })
  @ApiProduces('application/json', 'text/markdown')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(RegisterDto) } },
      'text/markdown': {
        schema: {
          type: 'string',
          maxLength: MAX_REGISTER_CHARS,
          description: 'The same register as a Markdown document (?format=markdown); policies whose register would be longer do not load',
        },
      },
    },
  })
  @ApiExtraModels(RegisterDto)
  @Header('cache-control', 'no-store')
  register(@Query() query: RegisterQuery, @Res({ passthrough: true }) reply: FastifyReply): Register | string {
    const register = buildRegister(this.access.policy, this.config.oidcProviders);
    if (query.format !== 'markdown') return register;
    void reply.type('text/markdown; charset=utf-8');
    return registerMarkdown(register);
  }
}
