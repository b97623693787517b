import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { textsIn } from '../../web/texts.js';
import { fill } from '../../web/views.js';
import type { EvaluationResultsDto } from '../dto/results.dto.js';
import './follow-up-admin.texts.js';
import { questionnaireResults } from './follow-up-views.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const govuk = path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist');
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([src, govuk]), { autoescape: true, trimBlocks: true, lstripBlocks: true });
env.addFilter('fill', (text: string, values: Record<string, unknown>) => fill(text, values));

function results(suppressed: boolean): EvaluationResultsDto {
  return {
    scope: {},
    minResponses: 5,
    invited: 6,
    responses: suppressed ? 2 : 5,
    responseRate: suppressed ? 0.33 : 0.83,
    questionnaires: [
      {
        questionnaireId: '00000000-0000-4000-8000-000000000001',
        title: 'Vad tyckte du om kursen?',
        version: 1,
        invited: 6,
        responses: suppressed ? 2 : 5,
        responseRate: suppressed ? 0.33 : 0.83,
        suppressed,
        questions: suppressed
          ? [{ key: 'satisfaction', type: 'likert5', text: 'Hur nöjd är du?', answered: 2 }]
          : [
              { key: 'satisfaction', type: 'likert5', text: 'Hur nöjd är du?', answered: 5, mean: 4.2, distribution: [{ value: '5', label: 'Mycket nöjd', count: 3 }, { value: '3', label: 'Varken eller', count: 2 }] },
              { key: 'comments', type: 'text', text: 'Något mer?', answered: 1, texts: ['<b>Bra</b> kurs.'] },
            ],
      },
    ],
  } as EvaluationResultsDto;
}

function render(dto: EvaluationResultsDto): string {
  return env.renderString('{% from "follow-up/pages/evaluation-results.njk" import evaluationQuestionnaires %}{{ evaluationQuestionnaires(questionnaires, minResponses, t) }}', {
    questionnaires: questionnaireResults(dto, 'sv'),
    minResponses: dto.minResponses,
    t: textsIn('sv'),
  });
}

describe('evaluation results (the macro shared by the coordinator\'s and the provider\'s pages)', () => {
  it('shows each distribution as a table with its chart, the mean and the free text (escaped)', () => {
    const html = render(results(false));
    expect(html).toContain('id="q1-1-table"');
    expect(html).toContain('id="q1-1-chart"');
    expect(html).toContain('Medelvärde: 4.2');
    expect(html).toContain('83 %');
    expect(html).toContain('<li>&lt;b&gt;Bra&lt;/b&gt; kurs.</li>');
    expect(html).not.toContain('kl-suppressed');
  });

  it('under the minimum number of responses: the counts and the notice only, no table, chart or answers', () => {
    const html = render(results(true));
    expect(html).toContain('Färre än 5 har svarat.');
    expect(html).toContain('2 svarade på frågan');
    expect(html).not.toContain('<table');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('Medelvärde');
  });
});
