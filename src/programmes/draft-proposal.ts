import type { FormatDefaults } from '../config/app-config.js';
import type { CoverageCellDto } from '../matching/dto/coverage.dto.js';
import type { DemandCell } from '../needs/needs-report.repository.js';
import type { ExplanationDto } from './dto/intervention.dto.js';

const perFormat = (defaults: FormatDefaults, format: string) => defaults[format] ?? defaults.default;
const kr = (n: number) => `${n.toLocaleString('sv-SE').replace(/\u00a0/g, ' ')} kr`;

/** Target groups from the stating organisations' sectors. */
const TARGET_GROUP_OF_SECTOR: Record<string, string> = { social_economy: 'social_economy', public: 'public_sector' };

export interface Proposal {
  title: string;
  themeCode: string;
  targetGroups: string[];
  format: string;
  counties: string[];
  plannedParticipants: number;
  plannedWomen: number;
  plannedMen: number;
  hoursPerParticipant: number;
  providerId: string | null;
  costSek: number;
  explanation: ExplanationDto;
}

/**
 * One proposal per coverage cell with unmet demand (people > free seats), sized from it: planned
 * participants = people in need − free seats already offered (the cell's gap); form = the format
 * most people chose first in the cell's statements (ties: most listed, then code); women and men
 * in the statements' proportions of the people in the cell, rounded; the cell's best offering's
 * provider as a suggestion (none: to procure); cost = participants × hours × cost per participant
 * hour, both per form from configuration. Pure, so that it is tested apart from the database.
 */
export function propose(
  roundId: string,
  cell: CoverageCellDto,
  demand: DemandCell | undefined,
  suggestion: ExplanationDto['suggestion'],
  defaults: { costPerHourSek: FormatDefaults; hoursPerParticipant: FormatDefaults },
): Proposal | null {
  if (!demand || cell.people <= 0 || cell.gap <= 0) return null;
  const planned = cell.gap;
  const format = demand.formats[0]?.format;
  if (!format) return null;
  const share = (n: number) => (demand.people > 0 ? Math.round((planned * n) / demand.people) : 0);
  let plannedWomen = share(demand.women);
  let plannedMen = share(demand.men);
  // Rounding both up could pass the total by one.
  if (plannedWomen + plannedMen > planned) plannedMen = planned - plannedWomen;
  const hours = perFormat(defaults.hoursPerParticipant, format);
  const rate = perFormat(defaults.costPerHourSek, format);
  const costSek = Math.round(planned * hours * rate);
  const unspecified = demand.people - demand.women - demand.men - demand.otherGender;
  const formula = `${planned} deltagare × ${hours} timmar × ${kr(rate)} = ${kr(costSek)}`;
  const text =
    `${demand.statements} behovsanmälningar i ${cell.countyName} gäller ${cell.themeNameSv} för ${cell.people} personer ` +
    `(${demand.women} kvinnor, ${demand.men} män, ${demand.otherGender} annat, ${unspecified} ej angivet). ` +
    `Det finns redan ${cell.seats} lediga platser, så ${cell.people} − ${cell.seats} = ${planned} deltagare planeras, ` +
    `varav ${plannedWomen} kvinnor och ${plannedMen} män i samma proportioner. ` +
    `Formen är den som flest valde i första hand (${format}, ${demand.formats[0].firstChoice} personer). ` +
    (suggestion ? `Förslag på anordnare: ${suggestion.providerName} (${suggestion.title}). ` : 'Ingen anordnare erbjuder temat i länet: upphandlas. ') +
    `Kostnad: ${formula}.`;
  return {
    title: `${cell.themeNameSv} – ${cell.countyName}`,
    themeCode: cell.themeCode,
    targetGroups: demand.sectors.map((s) => TARGET_GROUP_OF_SECTOR[s]).filter((g): g is string => Boolean(g)).sort(),
    format,
    counties: [cell.countyCode],
    plannedParticipants: planned,
    plannedWomen,
    plannedMen,
    hoursPerParticipant: hours,
    providerId: suggestion?.providerId ?? null,
    costSek,
    explanation: {
      roundId,
      cell: { themeCode: cell.themeCode, countyCode: cell.countyCode, countyName: cell.countyName, people: cell.people, seats: cell.seats, gap: cell.gap },
      statements: {
        count: demand.statements,
        people: demand.people,
        women: demand.women,
        men: demand.men,
        otherGender: demand.otherGender,
        unspecified,
        ids: demand.statementIds,
        idsTruncated: demand.statements > demand.statementIds.length,
      },
      formats: demand.formats,
      suggestion,
      cost: { hoursPerParticipant: hours, costPerParticipantHourSek: rate, formula },
      text,
    },
  };
}
