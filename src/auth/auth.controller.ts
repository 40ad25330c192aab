import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator.js';
import { AuthService, type LoginAnswer, type LoginSource } from './auth.service.js';
import { ChangePasswordDto, LoginDto, LoginResponseDto, ReplacePasswordDto, SecondFactorDto } from './dto/login.dto.js';
import { CurrentViewer, Public, type RequestViewer } from './viewer.js';

const source = (request: FastifyRequest): LoginSource => ({ requestId: String(request.id), ip: request.ip });

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto, description: 'A token, or the next step: { passwordChange: "required" } or { mfa: "enroll" | "required" }' })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password, unknown or disabled account: the same answer for all' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this email, or from this address: Retry-After says when to try again' })
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<LoginAnswer> {
    return this.auth.login(body.email, body.password, source(request));
  }

  @Public()
  @Post('auth/password')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto, description: 'What a login answers next: a token, or the second-factor step' })
  @ApiBadRequestResponse({ description: 'The new password breaks a rule (names the rule, never the password)' })
  @ApiUnauthorizedResponse({ description: 'The challenge is over (used, expired): log in again' })
  replacePassword(@Body() body: ReplacePasswordDto, @Req() request: FastifyRequest): Promise<LoginAnswer> {
    return this.auth.replaceTemporaryPassword(body.challengeToken, body.newPassword, source(request));
  }

  @Public()
  @Post('auth/mfa')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'A wrong or already used code; after 5 wrong codes the challenge is over: log in again' })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account: Retry-After says when to try again' })
  secondFactor(@Body() body: SecondFactorDto, @Req() request: FastifyRequest): Promise<LoginAnswer> {
    return this.auth.secondFactor(body.challengeToken, body.code, source(request));
  }

  @Post('me/password')
  @Access('me.password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed: every token of the account issued before stops working (this one too)' })
  @ApiBadRequestResponse({ description: 'The current password is wrong, or the new one breaks a rule' })
  async changePassword(@CurrentViewer() viewer: RequestViewer, @Body() body: ChangePasswordDto, @Req() request: FastifyRequest): Promise<void> {
    await this.auth.changeOwnPassword(viewer.userId, body.currentPassword, body.newPassword, source(request));
  }
}
