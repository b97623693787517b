import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { MembersService } from './members.service.js';
import { OrganisationAccess } from './organisation-access.service.js';
import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsService } from './organisations.service.js';
import { PeopleController } from './people.controller.js';
import { MyDataPages } from './pages/my-data.page.js';
import { OrganisationPages } from './pages/organisation.page.js';
import { PeopleService } from './people.service.js';

@Module({
  imports: [AuthModule, InvitationsModule, ReferenceModule],
  controllers: [OrganisationsController, PeopleController, OrganisationPages, MyDataPages],
  providers: [OrganisationsService, MembersService, PeopleService, OrganisationAccess],
  exports: [OrganisationsService, OrganisationAccess, MembersService],
})
export class OrganisationsModule {}
