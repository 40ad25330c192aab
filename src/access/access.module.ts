import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AccessService } from './access.service.js';
import { RegisterController } from './register.controller.js';

/**
 * The access decisions, for every module: the service is built before Nest starts (buildApp
 * validates policies/ first) and handed in.
 */
@Global()
@Module({})
export class AccessModule {
  static forRoot(access: AccessService): DynamicModule {
    return {
      module: AccessModule,
      controllers: [RegisterController],
      providers: [{ provide: AccessService, useValue: access }],
      exports: [AccessService],
    };
  }
}
