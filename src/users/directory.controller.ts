import { Body, Controller, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { CurrentViewer, type RequestViewer } from '../auth/viewer.js';
import { UuidParam } from '../common/params.js';
import { ApiPageOf, pageOf, PageQuery } from '../common/pagination.js';
import { DirectoryService } from './directory.service.js';
import { CreateOrganisationDto, CreateTerritoryDto, CreateUserDto, OrganisationsQuery, RemoveSecondFactorDto, UpdateUserDto } from './dto/directory.dto.js';
import { TerritoryDto, UserDto } from './dto/directory.response.js';
import { MeResponseDto } from './dto/me.response.js';
import { OrganisationDto } from './dto/organisation.response.js';
import { SecondFactorRemovals } from './second-factor.service.js';
import { Idempotent } from '../common/idempotency.js';

/**
 * The directory. Its actions are on the deployment as a whole (or, for the organisations list, on
 * the caller's own territories): the route guard's decision from policies/access.yaml is the whole
 * decision, and the list asks the access service for its scope.
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly removals: SecondFactorRemovals,
  ) {}

  @Get('me')
  @Access('me.read')
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentViewer() viewer: RequestViewer): MeResponseDto {
    return { ...viewer, professionProven: viewer.professionProven === true };
  }

  @Post('territories')
  @Idempotent()
  @Access('territory.create')
  @ApiCreatedResponse({ type: TerritoryDto })
  createTerritory(@CurrentViewer() admin: RequestViewer, @Body() body: CreateTerritoryDto) {
    return this.directory.createTerritory(admin, body);
  }

  @Get('territories')
  @Access('territory.list')
  @ApiPageOf(TerritoryDto)
  listTerritories(@Query() query: PageQuery) {
    return this.directory.listTerritories(pageOf(query));
  }

  @Post('organisations')
  @Idempotent()
  @Access('organisation.create')
  @ApiCreatedResponse({ type: OrganisationDto })
  createOrganisation(@CurrentViewer() admin: RequestViewer, @Body() body: CreateOrganisationDto) {
    return this.directory.createOrganisation(admin, body);
  }

  @Get('organisations')
  @Access('organisation.list')
  @ApiPageOf(OrganisationDto)
  listOrganisations(@CurrentViewer() viewer: RequestViewer, @Query() query: OrganisationsQuery) {
    return this.directory.listOrganisations(viewer, query.territoryId, pageOf(query));
  }

  @Post('users')
  @Idempotent()
  @Access('user.create')
  @ApiCreatedResponse({ type: UserDto })
  createUser(@CurrentViewer() admin: RequestViewer, @Body() body: CreateUserDto) {
    return this.directory.createUser(admin, body);
  }

  @Get('users')
  @Access('user.list')
  @ApiPageOf(UserDto)
  listUsers(@CurrentViewer() viewer: RequestViewer, @Query() query: PageQuery) {
    return this.directory.listUsers(viewer, pageOf(query));
  }

  @Patch('users/:id')
  @Access('user.update')
  @ApiOkResponse({ type: UserDto })
  updateUser(@CurrentViewer() admin: RequestViewer, @UuidParam('id') id: string, @Body() body: UpdateUserDto) {
    return this.directory.updateUser(admin, id, body);
  }

  /** Asks for the removal of a user's second factor; a second person confirms it. */
  @Post('users/:id/second-factor/removal')
  @Idempotent()
  @Access('user.second-factor.remove')
  requestSecondFactorRemoval(
    @CurrentViewer() admin: RequestViewer,
    @UuidParam('id') id: string,
    @Body() body: RemoveSecondFactorDto,
    @Req() request: FastifyRequest,
  ) {
    return this.removals.request(admin, id, body.reason, String(request.id));
  }

  /** The removals waiting for a second person (within the caller's reach). */
  @Get('second-factor-removals')
  @Access('user.second-factor.list')
  listSecondFactorRemovals(@CurrentViewer() viewer: RequestViewer) {
    return this.removals.listPending(viewer);
  }

  @Post('second-factor-removals/:id/confirm')
  @Access('user.second-factor.confirm')
  @HttpCode(200)
  confirmSecondFactorRemoval(@CurrentViewer() viewer: RequestViewer, @UuidParam('id') id: string, @Req() request: FastifyRequest) {
    return this.removals.confirm(viewer, id, String(request.id));
  }
}
