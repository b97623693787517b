import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../common/decorators/auth.decorators.js';
import { ApiErrors } from '../common/openapi.js';
import { ErasureResultDto, PersonalDataExportDto } from './dto/export.dto.js';
import { MeDto, ProfileDto, UpdateProfileDto } from './dto/profile.dto.js';
import { PeopleService } from './people.service.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in person: account, memberships (organisations, providers) and profile' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.people.me(user);
  }

  @Get('profile')
  @ApiOperation({ summary: 'Your profile for the programme\'s statistics (only you see the disability answer)' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiErrors(401)
  profile(@CurrentUser() user: AuthUser): Promise<ProfileDto> {
    return this.people.ownProfile(user);
  }

  @Put('profile')
  @ApiOperation({ summary: 'Replace your profile; every field is optional and "prefer not to say" is always allowed' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiErrors(400, 401)
  updateProfile(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto): Promise<ProfileDto> {
    return this.people.updateProfile(user, dto);
  }

  @Get('export')
  @ApiOperation({ summary: 'All personal data the system holds on you, as JSON' })
  @ApiOkResponse({ type: PersonalDataExportDto })
  @ApiErrors(401)
  export(@CurrentUser() user: AuthUser): Promise<Record<string, unknown>> {
    return this.people.export(user);
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase your account',
    description:
      'Personal fields are removed or anonymised, memberships end, statistics that need no identity are kept. You can no longer sign in; the email may register again. ' +
      'Evidence a funder requires by law (ESF participation during its retention period: dates, hours, time reports, the encrypted identity number) is kept, ' +
      'restricted to coordinators, and listed in `retained` with its end date (GDPR art. 17(3)(b)).',
  })
  @ApiOkResponse({ type: ErasureResultDto })
  @ApiErrors(401)
  erase(@CurrentUser() user: AuthUser): Promise<ErasureResultDto> {
    return this.people.erase(user);
  }
}
