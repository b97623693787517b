import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserDto } from '../../auth/dto/auth.dto.js';
import { MembershipSummaryDto, ProfileDto } from './profile.dto.js';

export class PersonalDataExportDto {
  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  exportedAt: string;

  @ApiProperty({ type: UserDto })
  account: UserDto;

  @ApiProperty({ type: ProfileDto })
  profile: ProfileDto;

  @ApiProperty({ type: MembershipSummaryDto, isArray: true })
  memberships: MembershipSummaryDto[];

  @ApiProperty({ description: 'Invitations sent to your address', type: Object, isArray: true, example: [] })
  invitationsReceived: unknown[];

  @ApiProperty({ description: 'Audit entries where you acted or were acted on', type: Object, isArray: true, example: [] })
  auditLog: unknown[];

  @ApiPropertyOptional({
    description: 'ESF programmes you take part in: dates, hours, time reports, whether an identity number is given (masked), and how long this is kept (GDPR art. 17(3)(b))',
    type: Object,
  })
  esfParticipation?: unknown;
}

export class RetainedDataDto {
  @ApiProperty({ example: 'esf_participation' }) kind: string;
  @ApiProperty({ example: 'Your participation in "Kompetenslyft 2027–2029": dates, hours, time reports and your identity number (encrypted)' }) description: string;
  @ApiProperty({ example: '2035-12-31', nullable: true, type: String, description: 'The last day it is kept; null while the funder\'s final payment year is not set' }) until: string | null;
  @ApiProperty({ example: 'GDPR art. 17(3)(b): kept as evidence the European Social Fund requires' }) legalBasis: string;
}

export class ErasureResultDto {
  @ApiProperty({ example: true }) erased: true;
  @ApiProperty({ type: [RetainedDataDto], description: 'What a legal obligation keeps, restricted to coordinators, and until when; everything else is erased' })
  retained: RetainedDataDto[];
}
