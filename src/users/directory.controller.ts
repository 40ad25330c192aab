import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, Roles, type RequestViewer } from '../auth/viewer.js';
import { AppError } from '../common/errors.js';
import { uuidParam } from '../common/params.js';
import { DirectoryService } from './directory.service.js';
import { CreateOrganisationDto, CreateTerritoryDto, CreateUserDto, UpdateUserDto } from './dto/directory.dto.js';
import { MeResponseDto } from './dto/me.response.js';
import { OrganisationDto } from './dto/organisation.response.js';

@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('me')
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentViewer() viewer: RequestViewer) {
    return viewer;
  }

  @Post('territories')
  @Roles('admin')
  createTerritory(@CurrentViewer() admin: RequestViewer, @Body() body: CreateTerritoryDto) {
    return this.directory.createTerritory(admin, body);
  }

  @Get('territories')
  @Roles('admin', 'auditor')
  listTerritories() {
    return this.directory.listTerritories();
  }

  @Post('organisations')
  @Roles('admin')
  createOrganisation(@CurrentViewer() admin: RequestViewer, @Body() body: CreateOrganisationDto) {
    return this.directory.createOrganisation(admin, body);
  }

  @Get('organisations')
  @ApiOkResponse({ type: [OrganisationDto] })
  @ApiQuery({ name: 'territoryId', required: false })
  listOrganisations(@CurrentViewer() viewer: RequestViewer, @Query('territoryId') territoryId?: string) {
    if (territoryId !== undefined && !/^[0-9a-f-]{36}$/i.test(territoryId)) throw AppError.validation('territoryId', 'must be a UUID');
    return this.directory.listOrganisations(viewer, territoryId);
  }

  @Post('users')
  @Roles('admin')
  createUser(@CurrentViewer() admin: RequestViewer, @Body() body: CreateUserDto) {
    return this.directory.createUser(admin, body);
  }

  @Get('users')
  @Roles('admin')
  listUsers() {
    return this.directory.findUsers();
  }

  @Patch('users/:id')
  @Roles('admin')
  updateUser(@CurrentViewer() admin: RequestViewer, @Param('id', uuidParam()) id: string, @Body() body: UpdateUserDto) {
    return this.directory.updateUser(admin, id, body);
  }
}
