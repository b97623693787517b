import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { createValidationPipe, nulFields, nullFields } from './validation.js';

describe('NUL characters', () => {
  it('are found in any string, however nested, and named by their path', () => {
    expect(nulFields({ name: 'A\u0000B', list: ['ok', 'x\u0000'], deep: { a: [{ b: '\u0000' }] }, n: 1 }, '')).toEqual(['name', 'list[1]', 'deep.a[0].b']);
    expect(nulFields('token\u0000', 'token')).toEqual(['token']);
    expect(nulFields({ ok: 'fine', n: null }, '')).toEqual([]);
  });

  it('are refused by the global pipe with 400 naming the field, before any DTO rule', async () => {
    const pipe = createValidationPipe();
    await expect(pipe.transform({ name: 'Anna\u0000' }, { type: 'body', metatype: Object })).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'name', messages: ['must not contain a NUL character'] }],
    });
    await expect(pipe.transform('abc\u0000', { type: 'param', data: 'token', metatype: String })).rejects.toMatchObject({
      details: [{ field: 'token', messages: ['must not contain a NUL character'] }],
    });
    await expect(pipe.transform({ name: 'Anna' }, { type: 'body', metatype: Object })).resolves.toEqual({ name: 'Anna' });
  });
});

describe('null where the document does not allow it', () => {
  class InnerDto {
    @ApiProperty({ example: 'a' })
    name: string;
  }
  class OuterDto {
    @ApiPropertyOptional({ example: 'x' })
    title?: string;

    @ApiPropertyOptional({ nullable: true, type: String })
    note?: string | null;

    @ApiPropertyOptional({ type: () => InnerDto, isArray: true })
    inner?: InnerDto[];
  }

  it('is named by its path; declared nullable fields may be null', () => {
    expect(nullFields({ title: null, note: null, inner: [{ name: 'ok' }, { name: null }] }, OuterDto)).toEqual(['title', 'inner[1].name']);
    expect(nullFields({ note: null }, OuterDto)).toEqual([]);
  });

  it('is refused by the global pipe with 400', async () => {
    await expect(createValidationPipe().transform({ title: null }, { type: 'body', metatype: OuterDto })).rejects.toMatchObject({
      status: 400,
      details: [{ field: 'title', messages: ['must not be null'] }],
    });
  });
});
