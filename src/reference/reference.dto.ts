import { ApiProperty } from '@nestjs/swagger';

export class MunicipalityDto {
  @ApiProperty({ example: '0380' })
  code: string;

  @ApiProperty({ example: 'Uppsala' })
  name: string;

  @ApiProperty({ example: '03' })
  countyCode: string;

  @ApiProperty({ example: 'Uppsala län' })
  countyName: string;
}

export class ReferenceItemDto {
  @ApiProperty({ example: 'public_procurement' })
  code: string;

  @ApiProperty({ example: 'Offentlig upphandling (LOU) och avtal med kommuner' })
  nameSv: string;

  @ApiProperty({ example: 'Public procurement (LOU) and contracts with municipalities' })
  nameEn: string;
}

export class ThemeDto extends ReferenceItemDto {
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Broader theme, if any' })
  parentCode: string | null;
}

export class AccessibilityFeatureDto extends ReferenceItemDto {
  @ApiProperty({ enum: ['venue', 'hearing', 'vision', 'cognitive', 'other'], example: 'hearing' })
  category: string;
}
