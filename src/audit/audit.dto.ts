import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../common/pagination.js';

export class AuditQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ example: 'member.removed' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries where this person acted or was acted on' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ example: '2026-11-26T09:00:00.000Z' })
  occurredAt: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  actorUserId: string | null;

  @ApiProperty({ example: 'member.role_changed' })
  action: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  subjectUserId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  organisationId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  providerId: string | null;

  @ApiProperty({ example: { from: 'employee', to: 'org_admin' } })
  details: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: AuditEntryDto, isArray: true })
  items: AuditEntryDto[];

  @ApiProperty({ example: 1 })
  total: number;
}
