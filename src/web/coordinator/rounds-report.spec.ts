import type { CoverageReportDto } from '../../matching/dto/coverage.dto.js';
import type { NeedsReportDto } from '../../needs/dto/report.dto.js';
import { reportSections } from '../../needs/needs-report.export.js';
import { coverageView, reportTables } from './rounds-report.js';

const choice = { answered: 0, options: [], comments: [] };
const report: NeedsReportDto = {
  round: { id: 'r', title: 'Våren', status: 'open', opensAt: '2027-02-01T00:00:00.000Z', closesAt: '2027-03-01T00:00:00.000Z' },
  generatedAt: '2027-02-10T00:00:00.000Z',
  responseRate: { invited: 4, answered: 2, withStatements: 2, withAssessment: 1, rate: 0.5 },
  totals: { people: 30, statements: 3, personalStatements: 0 },
  themes: [
    { rank: 1, themeCode: 'digital_skills', nameSv: 'Digital kompetens', nameEn: 'Digital skills', people: 20, statements: 2, organisations: 2 },
    { rank: 2, themeCode: 'volunteers', nameSv: 'Att arbeta med volontärer', nameEn: 'Volunteers', people: 10, statements: 1, organisations: 1 },
  ],
  splits: { format: [], county: [{ themeCode: null, key: '03', label: 'Uppsala län', people: 30 }], municipality: [], legalForm: [], sector: [] },
  gender: [
    { themeCode: 'digital_skills', women: 12, men: '<5', otherGender: '<5', unspecified: 'x' },
    { themeCode: 'volunteers', women: '<5', men: 6, otherGender: '<5', unspecified: 0 as never },
  ],
  supply: { from: '2027-02-10T00:00:00.000Z', to: '2027-08-10T00:00:00.000Z', themes: [], demandVsSupply: [{ themeCode: 'digital_skills', people: 20, seatsLeft: 5, gap: 15 }] },
  organising: { periods: [], timeOfDay: [], priority: [], place: [], accessibilityNeeds: [] },
  assessments: {
    organisations: 1,
    socialEnterpriseSupport: { answered: 1, options: [{ key: 'mentoring', label: 'Mentorskap', count: 1 }], comments: ['Mer stöd'] },
    genderEquality: { answered: 1, hasPlan: [], hasTrained: 0, wantsTraining: 1 },
    accessibility: { answered: 1, levels: [{ key: '1', label: '1', count: 1 }], mean: 1, wantsTraining: 1 },
    preferredProviders: choice,
    followUp: choice,
    channels: choice,
    cooperation: choice,
  },
};

describe('the report on the page', () => {
  it('has every section of the export with the same rows, the total kept out of sorting, and charts where numbers are compared', () => {
    const tables = reportTables(report, 'sv', '/r', {});
    const sections = reportSections(report);
    expect(tables.map((t) => t.title)).toEqual(sections.map((s) => s.title));
    expect(tables[1].table.rows).toEqual(sections[1].rows.slice(0, -1));
    expect(tables[1].footer).toEqual([['', 'Totalt', '', 30, 3, '']]);
    expect(tables[1].charts[0].description).toBe('Digital kompetens: 20. Att arbeta med volontärer: 10.');
    expect(tables[2].charts[0].rows.map((r) => r.lines[0].text)).toEqual(['Uppsala län']);
    // Q5's chart leaves out the free-text answers.
    expect(tables[9].charts[0].description).toBe('Mentorskap: 1.');
    expect(tables[1].table.headers.map((h) => h.ariaSort)).toEqual(['none', 'none', 'none', 'none', 'none', 'none']);
  });

  it('sorts a section by its own sort name; "<5" between 0 and 5, "x" last', () => {
    const sorted = reportTables(report, 'sv', '/r', { sort: 'q6.2', dir: 'asc' })[6];
    expect(sorted.table.rows.map((r) => r[2])).toEqual(['<5', 6]);
    expect(sorted.table.headers[2]).toMatchObject({ ariaSort: 'ascending', href: '/r?sort=q6.2&dir=desc#q6' });
    const hidden = reportTables(report, 'sv', '/r', { sort: 'q6.4', dir: 'desc' })[6];
    expect(hidden.table.rows.map((r) => r[4])).toEqual([0, 'x']);
    expect(reportTables(report, 'sv', '/r', { sort: 'q6.2', dir: 'asc' })[1].table.headers.every((h) => h.ariaSort === 'none')).toBe(true);
  });

  it('has English headings in English', () => {
    const tables = reportTables(report, 'en', '/r', {});
    expect(tables[1].title).toBe('Questions 1–2: Needs for skills development per theme (people)');
    expect(tables[1].table.headers.map((h) => h.text)).toEqual(['Rank', 'Theme', 'Code', 'People', 'Needs', 'Organisations']);
  });
});

describe('coverage on the page', () => {
  it('keeps the service\'s order (no supply first) as the sortable "order" column and draws the gaps only', () => {
    const coverage: CoverageReportDto = {
      round: { id: 'r', title: 'Våren', status: 'open' },
      generatedAt: '2027-02-10T00:00:00.000Z',
      cells: [
        { themeCode: 'a', themeNameSv: 'A', themeNameEn: 'A en', countyCode: '03', countyName: 'Uppsala län', people: 5, seats: 0, localSeats: 0, onlineSeats: 0, sessions: 0, gap: 5, noSupply: true, best: [] },
        { themeCode: 'b', themeNameSv: 'B', themeNameEn: 'B en', countyCode: '05', countyName: 'Östergötlands län', people: 9, seats: 2, localSeats: 2, onlineSeats: 0, sessions: 1, gap: 7, noSupply: false, best: [{ offeringId: 'o', title: 'Kurs', providerName: 'SV', score: 80 }] },
        { themeCode: 'c', themeNameSv: 'C', themeNameEn: 'C en', countyCode: '03', countyName: 'Uppsala län', people: 0, seats: 4, localSeats: 4, onlineSeats: 0, sessions: 1, gap: -4, noSupply: false, best: [] },
      ],
    };
    const view = coverageView(coverage, 'en', '/samordning/tackning', { inventering: 'r' });
    expect(view.table.rows.map((r) => [r.order, r.theme, r.best])).toEqual([[1, 'A en', ''], [2, 'B en', 'Kurs (SV)'], [3, 'C en', '']]);
    expect(view.demand).toBe(14);
    expect(view.chart!.rows).toHaveLength(2);
    const byGap = coverageView(coverage, 'sv', '/samordning/tackning', { inventering: 'r', sort: 'gap', dir: 'desc' });
    expect(byGap.table.rows.map((r) => r.theme)).toEqual(['B', 'A', 'C']);
    expect(byGap.table.headers.find((h) => h.key === 'order')!.href).toBe('/samordning/tackning?inventering=r&sort=order&dir=desc#coverage');
  });
});
