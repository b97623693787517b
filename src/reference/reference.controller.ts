import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators.js';
import { AccessibilityFeatureDto, MunicipalityDto, ReferenceItemDto, ThemeDto } from './reference.dto.js';
import { ReferenceService } from './reference.service.js';

@ApiTags('reference')
@Public()
@Controller()
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('municipalities')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The 48 municipalities of the programme with their counties' })
  @ApiOkResponse({ type: MunicipalityDto, isArray: true })
  municipalities(): Promise<MunicipalityDto[]> {
    return this.reference.municipalities();
  }

  @Get('themes')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Competence themes shared by needs and offerings' })
  @ApiOkResponse({ type: ThemeDto, isArray: true })
  themes(): Promise<ThemeDto[]> {
    return this.reference.themes();
  }

  @Get('formats')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Delivery formats (studiecirkel, kortkurs, …)' })
  @ApiOkResponse({ type: ReferenceItemDto, isArray: true })
  formats(): Promise<ReferenceItemDto[]> {
    return this.reference.formats();
  }

  @Get('accessibility-features')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'Accessibility features an offering can provide and a person can need' })
  @ApiOkResponse({ type: AccessibilityFeatureDto, isArray: true })
  accessibilityFeatures(): Promise<AccessibilityFeatureDto[]> {
    return this.reference.accessibilityFeatures();
  }
}
