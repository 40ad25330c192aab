import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { Chars, MaxChars } from '../../common/limits.js';

export class LoginDto {
  @ApiProperty({ example: 'coordinatrice@clsm-exemple.fr' })
  @IsString()
  @Chars(3, 254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Chars(1, 1024)
  password: string;
}

/** POST /auth/password: the temporary password replaced. */
export class ReplacePasswordDto {
  @ApiProperty({ description: 'The challengeToken of the login answer { passwordChange: "required" }' })
  @IsString()
  @Chars(20, 200)
  challengeToken: string;

  @ApiProperty({ format: 'password', minLength: 12, description: 'At least 12 characters, not a common or breached password' })
  @IsString()
  @Chars(1, 1024)
  newPassword: string;
}

/** POST /auth/mfa: the second factor. */
export class SecondFactorDto {
  @ApiProperty({ description: 'The challengeToken of the login answer { mfa: "enroll" | "required" }' })
  @IsString()
  @Chars(20, 200)
  challengeToken: string;

  @ApiProperty({ example: '123456', description: 'The 6-digit TOTP code (RFC 6238: SHA-1, 30 s)' })
  @IsString()
  @MaxChars(6)
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

/** POST /me/password. */
export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @Chars(1, 1024)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: 12, description: 'At least 12 characters, not a common or breached password' })
  @IsString()
  @Chars(1, 1024)
  newPassword: string;
}

export class LoginNoticeDto {
  @ApiProperty({ maxLength: 50, enum: ['second_factor_removed'] }) kind: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/**
 * What a login step answers (API.md): a token, or the next step — `passwordChange` (a temporary
 * password to replace with POST /auth/password) or `mfa` (POST /auth/mfa; `enroll` also gives the
 * secret to enrol, once).
 */
export class LoginResponseDto {
  @ApiPropertyOptional({ maxLength: 1000 }) accessToken?: string;
  @ApiPropertyOptional({ description: 'Seconds until the token expires (at most 3600)' }) expiresIn?: number;
  @ApiPropertyOptional({ enum: ['Bearer'], example: 'Bearer' }) tokenType?: string;
  @ApiPropertyOptional({ enum: ['required'] }) passwordChange?: string;
  @ApiPropertyOptional({ enum: ['enroll', 'required'] }) mfa?: string;
  @ApiPropertyOptional({ maxLength: 43, description: 'For POST /auth/password or POST /auth/mfa; single use, 5 minutes' }) challengeToken?: string;
  @ApiPropertyOptional({ maxLength: 64, description: 'mfa "enroll" only: the base32 TOTP secret, shown this once' }) secret?: string;
  @ApiPropertyOptional({ maxLength: 2048, description: 'mfa "enroll" only: the otpauth:// URI of the secret (for a QR code)' }) otpauthUrl?: string;
  @ApiPropertyOptional({ maxItems: 1, type: [LoginNoticeDto], description: 'What the user must be told (their second factor was removed)' })
  notices?: LoginNoticeDto[];
}
