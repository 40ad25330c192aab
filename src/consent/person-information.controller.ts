import { Body, Controller, Get, HttpCode, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { Public } from '../auth/viewer.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { ProblemDto } from '../common/dto/problem.response.js';
import { UuidParam } from '../common/params.js';
import { ConsentRecordDto, InformationLetterRequestDto, TransparencyAnswerDto, TransparencyRequestDto } from './dto/person-information.dto.js';
import { PersonInformationService } from './person-information.service.js';

const pdfAnswer = (description: string) => ({
  description,
  content: { 'application/pdf': { schema: { type: 'string' as const, format: 'binary', maxLength: 1_000_000 } } },
});

const file = (pdf: Buffer, name: string) => new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${name}"` });

/** The person's documents on a situation: the information letter, the receipt and its code, the consent record (issue 15). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class PersonDocumentsController {
  constructor(private readonly person: PersonInformationService) {}

  @Post(':id/consent/letter')
  @Access('case.information-letter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The information letter for the person (PDF, plain French) with the scope proposed to them, while their consent is awaited',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse(
    pdfAnswer(
      'What the cellule is, which partners would see what (the proposed scope only), for how long, how to withdraw, the rights and the DPO: no data of the person',
    ),
  )
  @ApiBadRequestResponse({
    type: ProblemDto,
    description: 'A sector or class of the proposal that the policies do not release under consent (the field is named)',
  })
  @ApiConflictResponse({ type: ProblemDto, description: 'The situation is not awaiting consent (allowedStates)' })
  @ApiForbiddenResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async letter(
    @CurrentViewer() viewer: RequestViewer,
    @UuidParam('id') id: string,
    @Body() body: InformationLetterRequestDto,
    @Req() req: FastifyRequest,
  ): Promise<StreamableFile> {
    const { reference, pdf } = await this.person.informationLetter(viewer, id, body.scope, String(req.id));
    return file(pdf, `lettre-information-${reference}.pdf`);
  }

  @Post(':id/consent/receipt')
  @Access('case.consent-receipt')
  @HttpCode(200)
  @ApiOperation({ summary: 'A receipt of the consent in force for the person (PDF) with a new transparency code; the previous code stops working' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(pdfAnswer('Sectors × classes agreed, dates, how to withdraw, and the transparency code (printed here only)'))
  @ApiConflictResponse({ type: ProblemDto, description: 'No consent granted and valid' })
  @ApiForbiddenResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  async receipt(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest): Promise<StreamableFile> {
    const { reference, pdf } = await this.person.consentReceipt(viewer, id, String(req.id));
    return file(pdf, `recepisse-${reference}.pdf`);
  }

  @Get(':id/consent/record')
  @Access('case.consent-record')
  @ApiOperation({ summary: 'The latest consent as an ISO/IEC TS 27560 consent record (JSON): classes and sectors, no protected value' })
  @ApiOkResponse({ type: ConsentRecordDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'No consent recorded yet' })
  @ApiForbiddenResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto })
  consentRecord(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() req: FastifyRequest): Promise<ConsentRecordDto> {
    return this.person.consentRecord(viewer, id, String(req.id));
  }
}

/** The transparency page's API: without an account, the reference and the code of the latest receipt (access.yaml `public`). */
@ApiTags('transparency')
@Controller('transparency')
export class TransparencyController {
  constructor(private readonly person: PersonInformationService) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Who accessed a situation, for the person: organisations, kinds of information, dates; the consent and how to withdraw' })
  @ApiOkResponse({ type: TransparencyAnswerDto })
  @ApiNotFoundResponse({
    type: ProblemDto,
    description: 'No situation with this reference and this code: the same answer for an unknown reference and a wrong code',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description: 'Too many wrong codes from this client or on this reference: Retry-After says when to try again',
  })
  read(@Body() body: TransparencyRequestDto, @Req() req: FastifyRequest): Promise<TransparencyAnswerDto> {
    return this.person.transparency(body, req.ip, String(req.id));
  }
}
