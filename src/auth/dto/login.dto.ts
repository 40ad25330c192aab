import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'coordinatrice@clsm-exemple.fr' })
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password: string;
}

/** POST /auth/password: the temporary password replaced. */
export class ReplacePasswordDto {
  @ApiProperty({ description: 'The challengeToken of the login answer { passwordChange: "required" }' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  challengeToken: string;

  @ApiProperty({ format: 'password', minLength: 12, description: 'At least 12 characters, not a common or breached password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  newPassword: string;
}

/** POST /auth/mfa: the second factor. */
export class SecondFactorDto {
  @ApiProperty({ description: 'The challengeToken of the login answer { mfa: "enroll" | "required" }' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  challengeToken: string;

  @ApiProperty({ example: '123456', description: 'The 6-digit TOTP code (RFC 6238: SHA-1, 30 s)' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

/** POST /me/password. */
export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: 12, description: 'At least 12 characters, not a common or breached password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  newPassword: string;
}

export class LoginNoticeDto {
  @ApiProperty({ enum: ['second_factor_removed'] }) kind: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/**
 * What a login step answers (API.md): a token, or the next step — `passwordChange` (a temporary
 * password to replace with POST /auth/password) or `mfa` (POST /auth/mfa; `enroll` also gives the
 * secret to enrol, once).
 */
export class LoginResponseDto {
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional({ description: 'Seconds until the token expires (at most 3600)' }) expiresIn?: number;
  @ApiPropertyOptional({ example: 'Bearer' }) tokenType?: string;
  @ApiPropertyOptional({ enum: ['required'] }) passwordChange?: string;
  @ApiPropertyOptional({ enum: ['enroll', 'required'] }) mfa?: string;
  @ApiPropertyOptional({ description: 'For POST /auth/password or POST /auth/mfa; single use, 5 minutes' }) challengeToken?: string;
  @ApiPropertyOptional({ description: 'mfa "enroll" only: the base32 TOTP secret, shown this once' }) secret?: string;
  @ApiPropertyOptional({ description: 'mfa "enroll" only: the otpauth:// URI of the secret (for a QR code)' }) otpauthUrl?: string;
  @ApiPropertyOptional({ type: [LoginNoticeDto], description: 'What the user must be told (their second factor was removed)' }) notices?: LoginNoticeDto[];
}
