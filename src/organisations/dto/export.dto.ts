import { ApiProperty } from '@nestjs/swagger';
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
}
