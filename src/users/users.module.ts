import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';
import { SecondFactorRemovals } from './second-factor.service.js';

/** The directory: territories, organisations, accounts (src/users). */
@Module({
  imports: [AuthModule],
  controllers: [DirectoryController],
  providers: [DirectoryService, SecondFactorRemovals],
  exports: [DirectoryService],
})
export class UsersModule {}
