import type { EntityManager } from 'typeorm';
import { rows } from '../../database/sql.js';
import type { OrgRole } from '../organisation-member.entity.js';

/** The demo organisation of `npm run seed:demo`, with its admin and employees as members. */
export async function createDemoOrganisation(
  manager: EntityManager,
  organisation: { name: string; orgNumber: string; municipalityCode: string },
  members: { userId: string; role: OrgRole; jobTitle: string }[],
): Promise<string> {
  const [row] = rows<{ id: string }>(
    await manager.query(
      `INSERT INTO organisations (name, org_number, legal_form, sector, municipality_code, contact_email)
       VALUES ($1, $2, 'ekonomisk_forening', 'social_economy', $3, 'info@returbutiken.example') RETURNING id`,
      [organisation.name, organisation.orgNumber, organisation.municipalityCode],
    ),
  );
  for (const member of members) {
    await manager.query(`INSERT INTO organisation_members (organisation_id, user_id, role, job_title) VALUES ($1, $2, $3, $4)`, [row.id, member.userId, member.role, member.jobTitle]);
  }
  return row.id;
}
