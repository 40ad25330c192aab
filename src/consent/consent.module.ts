import { Module } from '@nestjs/common';
import { PersonDocumentsController, TransparencyController } from './person-information.controller.js';
import { PersonInformationService } from './person-information.service.js';

/** The person's information (issue 15): the letter, the receipt and its transparency code, the consent record, the transparency page. */
@Module({
  controllers: [PersonDocumentsController, TransparencyController],
  providers: [PersonInformationService],
})
export class ConsentModule {}
