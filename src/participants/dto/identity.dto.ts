import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class SetParticipantIdentityDto {
  @ApiProperty({
    example: '19850709-2388',
    description: 'Personnummer or samordningsnummer: 10 digits (YYMMDD-NNNN, + from 100 years of age) or 12 (YYYYMMDDNNNN, hyphen allowed); check digit and date validated; stored encrypted as 12 digits.',
    writeOnly: true,
  })
  @IsString()
  @MaxLength(20)
  personalIdentityNumber: string;
}

export class ParticipantIdentityDto {
  @ApiProperty({ type: String, example: '1985-07-**-****', nullable: true, description: 'The number masked (year and month of birth only); null when none is given' })
  masked: string | null;

  @ApiProperty({ example: true, description: 'Whether you take part in (or are booked on) a programme with ESF reporting, which needs the number' })
  requested: boolean;

  @ApiProperty({ description: 'Why and how the number is used, in plain Swedish' })
  explanationSv: string;

  @ApiProperty({ description: 'The same in English' })
  explanationEn: string;
}
