import { Module } from '@nestjs/common';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';

/** The directory: territories, organisations, accounts (src/users). */
@Module({
  controllers: [DirectoryController],
  providers: [DirectoryService],
})
export class UsersModule {}
