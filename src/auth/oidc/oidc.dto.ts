import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROVIDER_KINDS } from './oidc.config.js';

export class OidcProviderDto {
  @ApiProperty({ description: 'The name in the routes (/auth/oidc/{name}/login)', pattern: '^[a-z0-9_]{1,40}$', maxLength: 40 }) name: string;
  @ApiProperty({ enum: PROVIDER_KINDS, description: 'Which button the workspace shows (ProConnect, Pro Santé Connect, or a plain one)' })
  kind: (typeof PROVIDER_KINDS)[number];
}

export class OidcProvidersDto {
  @ApiProperty({ type: [OidcProviderDto], maxItems: 50 }) items: OidcProviderDto[];
}

export class OidcLogoutDto {
  @ApiProperty({
    maxLength: 8192,
    description: "Where the browser goes next: the provider's logout (RP-initiated, it comes back to the sign-in page), or the sign-in page",
  })
  redirectTo: string;
}

export class CreateLinkInvitationDto {
  @ApiProperty({
    enum: ['invitation', 'email'],
    required: false,
    description:
      "`invitation` (default): a one-time link the user follows before signing in at the provider. `email`: the account's email is matched to the provider's verified one at the user's first sign-in, and the user confirms",
  })
  @IsOptional()
  @IsIn(['invitation', 'email'])
  kind?: 'invitation' | 'email';
}

export class LinkInvitationDto {
  @ApiProperty({ enum: ['invitation', 'email'] }) kind: 'invitation' | 'email';
  @ApiProperty({ required: false, maxLength: 2048, description: 'The link to give the user (shown once; `invitation` only)' }) link?: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class LinkedIdentityDto {
  @ApiProperty({ maxLength: 40 }) provider: string;
  @ApiProperty({ format: 'date-time' }) linkedAt: string;
  @ApiProperty({ enum: ['invitation', 'email'] }) linkedBy: 'invitation' | 'email';
}

export class LinkedIdentitiesDto {
  @ApiProperty({ type: [LinkedIdentityDto], maxItems: 50 }) items: LinkedIdentityDto[];
  @ApiProperty({ required: false, nullable: true, type: String, maxLength: 20, description: 'The RPPS number a Pro Santé Connect sign-in proved' }) rpps:
    string | null;
  @ApiProperty({ enum: ['declared', 'prosanteconnect'], description: 'Where the profession comes from: an admin, or a Pro Santé Connect sign-in' })
  professionSource: 'declared' | 'prosanteconnect';
}
