import { headerProblem, IMPORT_COLUMNS, instant, parseRow } from './catalogue-import.js';

describe('catalogue import rows', () => {
  const header = IMPORT_COLUMNS.map((c) => c.name) as string[];
  const example = IMPORT_COLUMNS.map((c) => c.example) as string[];
  const now = new Date('2026-12-01T00:00:00Z');

  it('reads Stockholm wall-clock times (winter and summer), ISO with an offset, and xlsx dates', () => {
    expect(instant('2027-01-15 09:00')).toEqual(new Date('2027-01-15T08:00:00Z'));
    expect(instant('2027-06-15T09:00')).toEqual(new Date('2027-06-15T07:00:00Z'));
    expect(instant('2027-06-15T09:00:00+02:00')).toEqual(new Date('2027-06-15T07:00:00Z'));
    expect(instant(new Date(Date.UTC(2027, 5, 15, 9, 0)))).toEqual(new Date('2027-06-15T07:00:00Z'));
    expect(instant('15/6 2027')).toBe('invalid');
    expect(instant('2027-13-01 09:00')).toBe('invalid');
    expect(instant('')).toBeNull();
  });

  it('takes the template\'s example row as it is', () => {
    const row = parseRow(2, header, example, now);
    expect(row.reasons).toEqual([]);
    expect(row.offering).toMatchObject({ courseCode: 'SV-UPH-01', targetGroups: ['social_economy', 'public_sector'], hours: 6, priceSek: 0 });
    expect(row.session).toMatchObject({ capacity: 20, online: false, waitlistMode: 'offer', startsAt: new Date('2027-03-10T08:00:00Z') });
  });

  it('gives every reason a row has, in Swedish', () => {
    const cells = [...example];
    const set = (name: string, value: string) => (cells[header.indexOf(name)] = value);
    set('capacity', 'tjugo');
    set('online', 'kanske');
    set('level', 'expert');
    set('ends_at', '2027-03-10 08:00');
    set('price_sek', '-5');
    expect(parseRow(3, header, cells, now).reasons).toEqual([
      'level ska vara introductory, intermediate eller advanced',
      'price_sek ska vara ett heltal från 0 till 1000000',
      'online ska vara ja eller nej',
      'capacity ska vara ett heltal från 1 till 10000',
      'ends_at måste vara efter starts_at',
    ]);
  });

  it('names unknown, missing and repeated columns', () => {
    expect(headerProblem(header)).toBeNull();
    expect(headerProblem([...header, 'pris'])).toBe('Okända kolumner: pris. Använd mallens kolumner.');
    expect(headerProblem(header.filter((h) => h !== 'capacity'))).toBe('Kolumner saknas: capacity.');
    expect(headerProblem([...header, 'title'])).toBe('Kolumner finns två gånger: title.');
  });
});
