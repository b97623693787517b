import type { CoverageCellDto } from '../matching/dto/coverage.dto.js';
import type { DemandCell } from '../needs/needs-report.repository.js';
import { propose } from './draft-proposal.js';

const defaults = { costPerHourSek: { default: 250, study_circle: 150 }, hoursPerParticipant: { default: 8, study_circle: 12 } };
const cell = (over: Partial<CoverageCellDto> = {}): CoverageCellDto => ({
  themeCode: 'public_procurement',
  themeNameSv: 'Offentlig upphandling',
  themeNameEn: 'Public procurement',
  countyCode: '03',
  countyName: 'Uppsala län',
  people: 20,
  seats: 6,
  localSeats: 6,
  onlineSeats: 0,
  sessions: 1,
  gap: 14,
  noSupply: false,
  best: [],
  ...over,
});
const demand = (over: Partial<DemandCell> = {}): DemandCell => ({
  themeCode: 'public_procurement',
  countyCode: '03',
  statements: 2,
  people: 20,
  women: 10,
  men: 9,
  otherGender: 0,
  sectors: ['public', 'social_economy'],
  statementIds: ['a', 'b'],
  formats: [
    { format: 'study_circle', firstChoice: 12, listed: 20 },
    { format: 'short_course', firstChoice: 8, listed: 20 },
  ],
  ...over,
});

describe('propose (a draft intervention from one coverage cell)', () => {
  it('sizes from the gap, takes the first-choice format, splits by the statements\' gender, costs per form', () => {
    const p = propose('round', cell(), demand(), null, defaults)!;
    expect(p).toMatchObject({
      plannedParticipants: 14,
      plannedWomen: 7,
      plannedMen: 6,
      format: 'study_circle',
      hoursPerParticipant: 12,
      costSek: 14 * 12 * 150,
      providerId: null,
      targetGroups: ['public_sector', 'social_economy'],
      counties: ['03'],
    });
    expect(p.explanation.cost.formula).toBe('14 deltagare × 12 timmar × 150 kr = 25 200 kr');
    expect(p.explanation.statements).toMatchObject({ count: 2, unspecified: 1, idsTruncated: false });
  });

  it('proposes nothing for covered cells, cells without demand, or without statements', () => {
    expect(propose('round', cell({ seats: 20, gap: 0 }), demand(), null, defaults)).toBeNull();
    expect(propose('round', cell({ people: 0, gap: -5 }), demand(), null, defaults)).toBeNull();
    expect(propose('round', cell(), undefined, null, defaults)).toBeNull();
  });

  it('never plans more women and men than participants when both round up, and uses the default rates for other forms', () => {
    const p = propose('round', cell({ people: 2, seats: 1, gap: 1 }), demand({ people: 2, women: 1, men: 1, formats: [{ format: 'lecture_series', firstChoice: 2, listed: 2 }] }), null, defaults)!;
    expect(p.plannedWomen + p.plannedMen).toBeLessThanOrEqual(1);
    expect(p).toMatchObject({ plannedParticipants: 1, hoursPerParticipant: 8, costSek: 8 * 250 });
  });

  it('names the suggested provider', () => {
    const suggestion = { offeringId: 'o', title: 'Kurs', providerId: 'p', providerName: 'Studieförbundet', score: 80 };
    const p = propose('round', cell(), demand(), suggestion, defaults)!;
    expect(p.providerId).toBe('p');
    expect(p.explanation.text).toContain('Förslag på anordnare: Studieförbundet (Kurs).');
  });
});
